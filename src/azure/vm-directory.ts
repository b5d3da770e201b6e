import type { VmFacts } from '../domain/index.js';
import { AppError, assertName, closestMatches, command } from '../domain/index.js';
import { translateAzureError } from './azure-error-translation.js';
import type { AzureScope } from './azure-scope.js';
import { fromAzureVm, withInstanceView } from './vm-mapping.js';

/**
 * The subscription's VMs: listing them (power state, region, Extended Zone), finding one by name,
 * and reading one VM's own instance view, the only place its agent version is trusted from.
 */
export class VmDirectory {
  constructor(private readonly s: AzureScope) {}

  async readVms(): Promise<VmFacts[]> {
    const out: VmFacts[] = [];
    // statusOnly=true returns every VM with its power state in one listing; the agent is read per VM.
    for await (const vm of this.s.clients.compute.virtualMachines.listAll({ statusOnly: 'true' })) {
      const facts = fromAzureVm(vm, this.s.subscriptionId);
      if (facts) out.push(facts);
    }
    return out;
  }

  /** A VM with its own instance view read: the only place its VM agent version is trusted from. */
  async findVmWithAgent(name: string): Promise<VmFacts> {
    const vm = await this.findVm(name);
    return withInstanceView(
      vm,
      await this.s.clients.compute.virtualMachines.instanceView(vm.resourceGroup, vm.name),
    );
  }

  /** Finds a VM by name (`vm` or `resourceGroup/vm`), case-insensitively. */
  async findVm(name: string): Promise<VmFacts> {
    const [rg, vmName] = name.includes('/') ? (name.split('/', 2) as [string, string]) : [undefined, name];
    assertName('vm', vmName);
    if (rg !== undefined) assertName('resourceGroup', rg);
    const vms = await this.readVms();
    const matches = vms.filter(
      (v) =>
        v.name.toLowerCase() === vmName.toLowerCase() &&
        (rg === undefined || v.resourceGroup.toLowerCase() === rg.toLowerCase()),
    );
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) {
      throw new AppError('validation.vm_ambiguous', `More than one VM is called ${vmName}.`, {
        suggestions: [
          {
            kind: 'choose',
            what: 'vm',
            names: matches.map((m) => `${m.resourceGroup}/${m.name}`),
            near: true,
          },
        ],
      });
    }
    const near = closestMatches(
      vmName,
      vms.map((v) => v.name),
    );
    throw new AppError('validation.vm_not_found', `There is no VM called ${vmName} in the subscription.`, {
      suggestions:
        near.length > 0 ? [{ kind: 'choose', what: 'vm', names: near, near: true }] : [command('list vms')],
      details: { suggestions: near },
    });
  }

  /** A restore's new VM must not take the name of one that exists. */
  async assertVmNameFree(resourceGroup: string, name: string): Promise<void> {
    try {
      await this.s.clients.compute.virtualMachines.get(resourceGroup, name);
    } catch (e) {
      if (translateAzureError(e).statusCode === 404) return;
      throw e;
    }
    throw new AppError(
      'validation.vm_name_taken',
      `There is already a VM called ${name} in ${resourceGroup}.`,
      { suggestions: [{ kind: 'template', text: `… as new vm ${name}-2` }] },
    );
  }
}
