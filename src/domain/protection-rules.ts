import { AppError } from './errors.js';
import { command, template } from './suggestions.js';
import type { PolicyKind } from './policy.js';
import type { VmFacts } from './vm.js';

/** Rule 2: a VM in an Extended Zone can only be protected with an Enhanced policy. */
export function assertPolicyFitsVm(
  vm: Pick<VmFacts, 'name' | 'extendedZone'>,
  policy: { name: string; kind: PolicyKind },
): void {
  if (vm.extendedZone && policy.kind !== 'Enhanced') {
    throw new AppError(
      'validation.extended_zone_needs_enhanced_policy',
      `${vm.name} runs in the Extended Zone ${vm.extendedZone}, which accepts only Enhanced backup policies; ${policy.name} is a Standard policy.`,
      {
        suggestions: [
          template(`enable backup for ${vm.name} with policy <an Enhanced policy>`),
          command('policies'),
        ],
        details: { vm: vm.name, extendedZone: vm.extendedZone, policy: policy.name },
      },
    );
  }
}
