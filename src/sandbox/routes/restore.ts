import { randomUUID } from 'node:crypto';
import type { RestoreKind } from '../../domain/index.js';
import { RESTORE_KIND_INFO, isRestoreKind, normalizeRegion } from '../../domain/index.js';
import type { ArmError } from '../arm-errors.js';
import { badRequest, conflict, notFound } from '../arm-errors.js';
import type { ArmRouter } from '../arm-router.js';
import { RECORDED_OPERATION_SECONDS, RECORDED_RESTORE_SECONDS } from '../async-operations.js';
import { ITEM } from '../sandbox-context.js';
import type { SandboxContext } from '../sandbox-context.js';
import type {
  SandboxProtectedItem,
  SandboxRecoveryPoint,
  SandboxRestore,
  SandboxVault,
  SandboxVm,
} from '../world.js';
import { propertyBagTime } from './backup-jobs.js';
import { acceptedForItem, propertiesOf, requireItem } from './item-requests.js';
import { requireVault } from './lookups.js';

type Props = Record<string, unknown>;

/**
 * Restore of an Azure VM from a recovery point (`POST …/recoveryPoints/{rp}/restore`), as recorded
 * in test_backup_restore.yaml: an IaasVMRestoreRequest with recoveryType RestoreDisks,
 * AlternateLocation or OriginalLocation; 202 with the item's Azure-AsyncOperation and Location and
 * `Retry-After: 60` (Azure PowerShell's 2024 record; the CLI's recordings drop Retry-After); the
 * operation Succeeded almost at once, its id being the job's; then a Restore job
 * whose tasks and property bag are those recorded for the kind.
 *
 * No restore refusal was ever recorded, so every error code below is the sandbox's own (the
 * troubleshooting docs give some messages without codes: "The Recovery Services vault and target
 * storage account are in two different regions", "The selected subnet doesn't exist"). The bot checks
 * the same rules before calling Azure and never depends on these codes.
 */
export function addRestoreRoute(router: ArmRouter, ctx: SandboxContext): void {
  router.add('POST', `${ITEM}/recoveryPoints/{recoveryPointId}/restore`, (req) => {
    const { vault, key } = requireVault(ctx, req.params);
    const item = requireItem(ctx, key, req.params);
    if (item.softDeletedAtMs !== undefined) {
      throw badRequest(
        'UserErrorRestoreFromSoftDeletedItem',
        `The backup data of ${item.vmName} is soft-deleted; undelete it before restoring from it.`,
      );
    }
    const point = ctx.world.recoveryPoints.find(
      (rp) =>
        rp.vaultKey === key &&
        rp.id === req.params.recoveryPointId &&
        rp.vmResourceId.toLowerCase() === item.vmResourceId.toLowerCase(),
    );
    if (!point) {
      throw notFound(
        'UserErrorRecoveryPointNotFound',
        `Recovery point '${req.params.recoveryPointId}' of ${item.vmName} was not found in the vault.`,
      );
    }
    const props = propertiesOf(req.body);
    const kind = checkRequest(props, point, item, vault);
    const plan = checkTargets(ctx, props, kind, item, vault);
    const jobId = randomUUID();
    const job = ctx.engine.startRestore(
      key,
      { name: item.vmName, id: item.vmResourceId },
      jobId,
      restoreJob(ctx, kind, item, point, plan, jobId),
    );
    return acceptedForItem(
      ctx,
      req,
      { jobId: job.id },
      { durationMs: RECORDED_OPERATION_SECONDS.restoreTrigger * 1000 },
      jobId,
    );
  });
}

/** The request's own fields: object type, kind, the point, the source and the vault's region. */
function checkRequest(
  props: Props,
  point: SandboxRecoveryPoint,
  item: SandboxProtectedItem,
  vault: SandboxVault,
): RestoreKind {
  if (props.objectType !== 'IaasVMRestoreRequest') {
    throw invalid(`An Azure VM is restored with an IaasVMRestoreRequest (got ${String(props.objectType)}).`);
  }
  if (!isRestoreKind(props.recoveryType)) {
    throw invalid(
      `recoveryType must be RestoreDisks, AlternateLocation or OriginalLocation (got ${String(props.recoveryType)}).`,
    );
  }
  if (props.recoveryPointId !== undefined && props.recoveryPointId !== point.id) {
    throw invalid(
      `recoveryPointId ${String(props.recoveryPointId)} is not the point in the URL (${point.id}).`,
    );
  }
  if (!sameId(props.sourceResourceId, item.vmResourceId)) {
    throw invalid(`sourceResourceId must be the backed-up VM (${item.vmResourceId}).`);
  }
  if (typeof props.region !== 'string' || normalizeRegion(props.region) !== normalizeRegion(vault.location)) {
    throw invalid(`region must be the vault's region, ${vault.location} (got ${String(props.region)}).`);
  }
  return props.recoveryType;
}

interface RestorePlan {
  storageAccount: string;
  targetResourceGroup?: string;
  targetVmName?: string;
  vnet?: { name: string; resourceGroup: string };
  extendedZone?: string;
  source?: SandboxVm;
}

/**
 * The staging account: `storageAccountId` (az CLI), or, in a restore with the vault's managed
 * identity, `identityBasedRestoreDetails.targetStorageAccountId` with no `storageAccountId` at all
 * (Azure PowerShell, TestAzureVMRestoreWithMSI.json, 2024). The identity itself is not modelled.
 */
function stagingAccountIdOf(props: Props): string {
  if (props.storageAccountId !== undefined) return String(props.storageAccountId);
  const identity = props.identityBasedRestoreDetails as Props | undefined;
  return String(identity?.targetStorageAccountId ?? '');
}

/** The staging account, and the targets of the kind: they must exist, be free and be in the vault's region. */
function checkTargets(
  ctx: SandboxContext,
  props: Props,
  kind: RestoreKind,
  item: SandboxProtectedItem,
  vault: SandboxVault,
): RestorePlan {
  const { world } = ctx;
  const accountId = stagingAccountIdOf(props);
  const account = world.storageAccounts.get(accountId.toLowerCase());
  if (!account) {
    throw badRequest(
      'UserErrorStorageAccountNotFound',
      `The staging storage account '${accountId}' was not found.`,
    );
  }
  if (normalizeRegion(account.location) !== normalizeRegion(vault.location)) {
    throw badRequest(
      'UserErrorStorageAccountInDifferentRegion',
      `The Recovery Services vault and target storage account are in two different regions (${vault.location}, ${account.location}).`,
    );
  }
  const source = world.vmById(item.vmResourceId);
  const zone = extendedZoneOf(props);
  if (zone && zone.toLowerCase() !== source?.extendedZone?.toLowerCase()) {
    throw invalid(`extendedLocation ${zone} is not the Extended Zone of the recovery point.`);
  }
  const plan: RestorePlan = { storageAccount: account.name, ...(zone ? { extendedZone: zone } : {}) };
  if (source) plan.source = source;
  const targetRg = props.targetResourceGroupId;
  if (targetRg !== undefined) {
    const name = /\/resourceGroups\/([^/]+)$/i.exec(String(targetRg))?.[1] ?? '';
    const rg = world.resourceGroups.get(name.toLowerCase());
    if (!rg) throw notFound('ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
    plan.targetResourceGroup = rg.name;
  }
  if (kind === 'OriginalLocation') {
    // Docs: replace-existing needs the current VM to exist.
    if (!source) {
      throw badRequest(
        'UserErrorVmNotFound',
        `The virtual machine ${item.vmName} no longer exists: its disks cannot be replaced. Restore it as a new VM instead.`,
      );
    }
    return plan;
  }
  if (kind === 'RestoreDisks') return plan;
  for (const field of ['targetVirtualMachineId', 'targetResourceGroupId', 'virtualNetworkId', 'subnetId']) {
    if (typeof props[field] !== 'string') throw invalid(`Restoring as a new VM needs ${field}.`);
  }
  const target = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Compute\/virtualMachines\/([^/]+)$/i.exec(
    String(props.targetVirtualMachineId),
  );
  if (!target || target[1]!.toLowerCase() !== plan.targetResourceGroup?.toLowerCase()) {
    throw invalid('targetVirtualMachineId must name a VM in targetResourceGroupId.');
  }
  if (world.vmById(String(props.targetVirtualMachineId))) {
    throw conflict(
      'UserErrorTargetVmNameAlreadyExists',
      `A virtual machine called ${target[2]} already exists in resource group ${target[1]}.`,
    );
  }
  const vnet = world.vnets.get(String(props.virtualNetworkId).toLowerCase());
  if (!vnet) {
    throw badRequest(
      'UserErrorVnetNotFound',
      `The virtual network '${String(props.virtualNetworkId)}' was not found.`,
    );
  }
  const subnet = String(props.subnetId);
  if (
    !subnet.toLowerCase().startsWith(`${vnet.id.toLowerCase()}/subnets/`) ||
    !vnet.subnets.some((s) => s.toLowerCase() === subnet.split('/').pop()!.toLowerCase())
  ) {
    throw badRequest(
      'UserErrorSubnetNotFound',
      `The selected subnet doesn't exist in ${vnet.name}: ${subnet}.`,
    );
  }
  if (normalizeRegion(vnet.location) !== normalizeRegion(vault.location)) {
    throw badRequest(
      'UserErrorVnetInDifferentRegion',
      `The virtual network ${vnet.name} is in ${vnet.location}; the restored VM is created in ${vault.location}.`,
    );
  }
  return { ...plan, targetVmName: target[2]!, vnet: { name: vnet.name, resourceGroup: vnet.resourceGroup } };
}

/** The recorded job of the kind: its tasks, its property bag, and what it leaves in the world. */
function restoreJob(
  ctx: SandboxContext,
  kind: RestoreKind,
  item: SandboxProtectedItem,
  point: SandboxRecoveryPoint,
  plan: RestorePlan,
  jobId: string,
): Omit<SandboxRestore, 'steps'> & { steps: { name: string; ms: number }[] } {
  const { world } = ctx;
  // The recorded durations on the simulated clock, like a backup's phases (the operation before the
  // job follows SANDBOX_OPERATION_TIME_SCALE). The sandbox's points all keep their snapshot; only
  // disks restored without a target group (unmanaged, into the staging account) come from the vault.
  const fromSnapshot = kind !== 'RestoreDisks' || plan.targetResourceGroup !== undefined;
  const seconds = RECORDED_RESTORE_SECONDS;
  const [transfer, last] = RESTORE_KIND_INFO[kind].tasks;
  const steps = [
    {
      name: transfer!,
      ms: 1000 * (fromSnapshot ? seconds.transferFromSnapshot : seconds.transferFromVault),
    },
    ...(last
      ? [
          {
            name: last,
            ms: 1000 * (kind === 'AlternateLocation' ? seconds.createVm : seconds.updateVm),
          },
        ]
      : []),
  ];
  const bag: Record<string, string | null> = {
    'Job Type': JOB_TYPE[kind],
    ...(kind === 'AlternateLocation'
      ? {
          'Original VM Name': item.vmName,
          'Target VM Name': plan.targetVmName!,
          'Target VNet Name': `Group ${plan.vnet!.resourceGroup} ${plan.vnet!.name}`,
        }
      : kind === 'OriginalLocation'
        ? { 'Target VM Name': null } // recorded: null until the VM is updated
        : plan.targetResourceGroup
          ? { 'Target VM Name': 'vmName' } // a placeholder, as recorded in 2022 (CLI) and 2024 (PowerShell)
          : {}),
    'Target Storage Account Name': plan.storageAccount,
    'Recovery point time ': propertyBagTime(point.time),
    ...(plan.targetResourceGroup || kind === 'OriginalLocation'
      ? { 'Target resource group': plan.targetResourceGroup ?? item.resourceGroup.toLowerCase() }
      : {}),
    'VM Subscription ID': world.subscriptionId,
  };
  const stamp = (atMs: number) =>
    new Date(atMs).toISOString().slice(0, 19).replace(/[-:]/g, '').replace('T', '-');
  const onDone = (atMs: number): void => {
    const source = plan.source;
    const location = ctx.world.vaults.get(item.vaultKey)?.location ?? source?.location ?? '';
    if (kind === 'AlternateLocation' && source) {
      const { id: _id, osDiskName: _disk, extendedZone: _zone, ...like } = source;
      world.addVm({
        ...like,
        vmId: randomUUID(),
        name: plan.targetVmName!,
        resourceGroup: plan.targetResourceGroup!,
        location,
        ...(plan.extendedZone ? { extendedZone: plan.extendedZone } : {}),
        powerState: 'running',
      });
    } else if (kind === 'RestoreDisks' && plan.targetResourceGroup) {
      world.disks.push({
        name: `${item.vmName}-osdisk-${stamp(atMs)}`,
        resourceGroup: plan.targetResourceGroup,
        location,
        ...(plan.extendedZone ? { extendedZone: plan.extendedZone } : {}),
        restoredBy: jobId,
      });
    } else if (kind === 'OriginalLocation' && source) {
      // Azure snapshots the current disks first (not modelled) and leaves them in the VM's group.
      world.disks.push({
        name: source.osDiskName ?? `${source.name}_OsDisk_1`,
        resourceGroup: source.resourceGroup,
        location: source.location,
        ...(source.extendedZone ? { extendedZone: source.extendedZone } : {}),
      });
      source.osDiskName = `${source.name}-osdisk-${stamp(atMs)}`;
      world.disks.push({
        name: source.osDiskName,
        resourceGroup: source.resourceGroup,
        location: source.location,
        ...(source.extendedZone ? { extendedZone: source.extendedZone } : {}),
        attachedTo: source.id,
        restoredBy: jobId,
      });
    }
    if (kind === 'OriginalLocation') bag['Target VM Name'] = item.vmName;
    if (kind === 'RestoreDisks') Object.assign(bag, templateBlobs(plan.storageAccount, item.vmName, jobId));
  };
  return { kind, steps, propertyBag: bag, onDone };
}

const JOB_TYPE: Record<RestoreKind, string> = {
  RestoreDisks: 'Recover disks',
  OriginalLocation: 'Replace disks',
  AlternateLocation: 'Recover VM to an alternate location',
};

/** A completed disk restore's config and template blobs, named as recorded. */
function templateBlobs(account: string, vm: string, jobId: string): Record<string, string> {
  const container = `${vm.replace(/-/g, '').toLowerCase()}-${jobId.replace(/-/g, '')}`;
  const base = `https://${account}.blob.core.windows.net/${container}`;
  const config = `config-${vm.replace(/-/g, '').toLowerCase()}-${jobId}.json`;
  return {
    'Config Blob Name': config,
    'Config Blob Container Name': container,
    'Config Blob Uri': `${base}/${config}`,
    'Create VM Template Blob Uri': `${base}/azuredeploy${jobId}.json`,
  };
}

/** `extendedLocation: {type: "EdgeZone", name}` of a request, when it names one. */
function extendedZoneOf(props: Props): string | undefined {
  const loc = props.extendedLocation as { type?: unknown; name?: unknown } | undefined;
  return loc && typeof loc.name === 'string' ? loc.name : undefined;
}

function sameId(a: unknown, b: string): boolean {
  return typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
}

function invalid(message: string): ArmError {
  return badRequest('BMSUserErrorInvalidInput', message);
}
