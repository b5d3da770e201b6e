import type { VirtualMachine, VirtualMachineInstanceView } from '@azure/arm-compute';
import type { OsType, PowerState, VmFacts } from '../domain/index.js';

/**
 * Azure Compute VM → the facts the backup rules need. A listed VM's instance view (statusOnly) gives
 * its power state; only the VM's own instance view (`withInstanceView`) is trusted for its agent.
 */
export function fromAzureVm(vm: VirtualMachine, subscriptionId: string): VmFacts | undefined {
  if (!vm.id || !vm.name) return undefined;
  const view = vm.instanceView;
  const extendedZone = vm.extendedLocation?.type === 'EdgeZone' ? vm.extendedLocation.name : undefined;
  return {
    id: vm.id,
    name: vm.name,
    subscriptionId: subscriptionFromId(vm.id) ?? subscriptionId,
    resourceGroup: resourceGroupFromId(vm.id) ?? '',
    location: vm.location,
    ...(extendedZone ? { extendedZone } : {}),
    osType: osTypeOf(vm, view),
    powerState: powerStateOf(view),
    agentChecked: false,
  };
}

/** The facts of a listed VM completed by its own instance view: power state and VM agent. */
export function withInstanceView(vm: VmFacts, view: VirtualMachineInstanceView): VmFacts {
  const agentVersion = view.vmAgent?.vmAgentVersion;
  const { agentVersion: _listed, ...rest } = vm;
  const power = powerStateOf(view);
  return {
    ...rest,
    powerState: power === 'unknown' ? vm.powerState : power,
    agentChecked: true,
    ...(agentVersion && agentVersion !== 'Unknown' ? { agentVersion } : {}),
  };
}

function osTypeOf(vm: VirtualMachine, view: VirtualMachineInstanceView | undefined): OsType {
  const declared = vm.storageProfile?.osDisk?.osType;
  if (declared === 'Windows' || declared === 'Linux') return declared;
  return /windows/i.test(view?.osName ?? '') ? 'Windows' : 'Linux';
}

function powerStateOf(view: VirtualMachineInstanceView | undefined): PowerState {
  const code = view?.statuses?.find((s) => s.code?.startsWith('PowerState/'))?.code;
  switch (code?.slice('PowerState/'.length).toLowerCase()) {
    case 'running':
      return 'running';
    case 'stopped':
      return 'stopped';
    case 'deallocated':
      return 'deallocated';
    case 'starting':
      return 'starting';
    case 'stopping':
    case 'deallocating':
      return 'stopping';
    default:
      return 'unknown';
  }
}

export function resourceGroupFromId(id: string): string | undefined {
  return /\/resourceGroups\/([^/]+)/i.exec(id)?.[1];
}

function subscriptionFromId(id: string): string | undefined {
  return /\/subscriptions\/([^/]+)/i.exec(id)?.[1];
}
