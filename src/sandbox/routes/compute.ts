import { notFound } from '../arm-errors.js';
import type { ArmRouter } from '../arm-router.js';
import { RG, SUB } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import type { SandboxVm } from '../world.js';
import { requireResourceGroup, requireSubscription } from './lookups.js';

/** Microsoft.Compute virtual machines, read-only, with instance view (power state, VM agent). */
export function addComputeRoutes(router: ArmRouter, ctx: SandboxContext): void {
  router.add('GET', `${SUB}/providers/Microsoft.Compute/virtualMachines`, (req) => {
    requireSubscription(ctx, req.params);
    // statusOnly=true: every VM with its power state. Not its agent: the bot must not rely on a
    // subscription-wide listing to carry `vmAgent`, so the sandbox never puts it there.
    const withView = req.url.searchParams.get('statusOnly') === 'true';
    return {
      status: 200,
      body: { value: [...ctx.world.vms.values()].map((vm) => vmJson(vm, withView, { agent: false })) },
    };
  });
  router.add('GET', `${RG}/providers/Microsoft.Compute/virtualMachines`, (req) => {
    requireResourceGroup(ctx, req.params);
    const rg = req.params.resourceGroupName!.toLowerCase();
    const vms = [...ctx.world.vms.values()].filter((vm) => vm.resourceGroup.toLowerCase() === rg);
    const withView = req.url.searchParams.get('$expand') === 'instanceView';
    return { status: 200, body: { value: vms.map((vm) => vmJson(vm, withView)) } };
  });
  router.add('GET', `${RG}/providers/Microsoft.Compute/virtualMachines/{vmName}`, (req) => {
    const vm = requireVm(ctx, req.params);
    return { status: 200, body: vmJson(vm, req.url.searchParams.get('$expand') === 'instanceView') };
  });
  router.add('GET', `${RG}/providers/Microsoft.Compute/virtualMachines/{vmName}/instanceView`, (req) => ({
    status: 200,
    body: instanceView(requireVm(ctx, req.params)),
  }));
}

function requireVm(ctx: SandboxContext, params: Record<string, string>): SandboxVm {
  requireResourceGroup(ctx, params);
  const vm = ctx.world.vms.get(
    `/subscriptions/${ctx.world.subscriptionId}/resourceGroups/${params.resourceGroupName}/providers/Microsoft.Compute/virtualMachines/${params.vmName}`.toLowerCase(),
  );
  if (!vm) {
    throw notFound(
      'ResourceNotFound',
      `The Resource 'Microsoft.Compute/virtualMachines/${params.vmName}' under resource group '${params.resourceGroupName}' was not found.`,
    );
  }
  return vm;
}

export function vmJson(
  vm: SandboxVm,
  withInstanceView: boolean,
  o: { agent: boolean } = { agent: true },
): Record<string, unknown> {
  return {
    id: vm.id,
    name: vm.name,
    type: 'Microsoft.Compute/virtualMachines',
    location: vm.location,
    ...(vm.extendedZone ? { extendedLocation: { type: 'EdgeZone', name: vm.extendedZone } } : {}),
    properties: {
      vmId: vm.vmId,
      hardwareProfile: { vmSize: vm.vmSize },
      storageProfile: {
        osDisk: {
          osType: vm.osType,
          name: vm.osDiskName ?? `${vm.name}_OsDisk_1`,
          createOption: 'FromImage',
        },
      },
      osProfile: { computerName: vm.name.slice(0, 15) },
      provisioningState: 'Succeeded',
      ...(withInstanceView ? { instanceView: instanceView(vm, o.agent) } : {}),
    },
  };
}

function instanceView(vm: SandboxVm, withAgent = true): Record<string, unknown> {
  const power = { running: 'VM running', deallocated: 'VM deallocated', stopped: 'VM stopped' }[
    vm.powerState
  ];
  const agentReports = withAgent && vm.agentVersion !== undefined && vm.powerState === 'running';
  return {
    computerName: vm.name.slice(0, 15),
    osName: vm.osName,
    osVersion: vm.osVersion,
    ...(agentReports
      ? {
          vmAgent: {
            vmAgentVersion: vm.agentVersion,
            statuses: [
              {
                code: 'ProvisioningState/succeeded',
                level: 'Info',
                displayStatus: 'Ready',
                message: 'GuestAgent is running and processing the extensions.',
              },
            ],
          },
        }
      : {}),
    statuses: [
      { code: 'ProvisioningState/succeeded', level: 'Info', displayStatus: 'Provisioning succeeded' },
      { code: `PowerState/${vm.powerState}`, level: 'Info', displayStatus: power },
    ],
  };
}
