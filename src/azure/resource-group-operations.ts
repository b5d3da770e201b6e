import type { AcceptedOutcome, OperationWatch, ResourceGroupSummary } from '../domain/index.js';
import { translateAzureError } from './azure-error-translation.js';
import type { AzureScope } from './azure-scope.js';
import type { ItemRef } from './item-mapping.js';
import type { ProtectionCatalogue } from './protection-catalogue.js';

/** A resource group's contents (what deleting it would lose and what blocks it) and its deletion. */
export class ResourceGroupOperations {
  constructor(
    private readonly s: AzureScope,
    private readonly catalogue: ProtectionCatalogue,
  ) {}

  async describe(name: string): Promise<ResourceGroupSummary> {
    const resources = this.s.clients.resources;
    const rg = await resources.resourceGroups.get(name);
    const listed: { name: string; type: string }[] = [];
    for await (const r of resources.resources.listByResourceGroup(name)) {
      if (r.name && r.type) listed.push({ name: r.name, type: r.type });
    }
    const vaults = [];
    for (const r of listed.filter((x) => /^Microsoft\.RecoveryServices\/vaults$/i.test(x.type))) {
      const vault = await this.catalogue.readVault({ vault: r.name, resourceGroup: name });
      const items = [...(await this.catalogue.readProtectedItems(vault)).values()];
      const vmOf = (i: ItemRef) => i.sourceResourceId.split('/').pop() ?? i.itemName;
      const softDeleted = items.filter((i) => i.protection.softDeleted);
      const until = softDeleted
        .map((i) => i.protection.softDeleted?.purgeAt)
        .filter((t): t is string => Boolean(t))
        .sort()
        .pop();
      vaults.push({
        name: vault.name,
        blockingItems: items.filter((i) => !i.protection.softDeleted).map(vmOf),
        softDeletedItems: softDeleted.map(vmOf),
        ...(until ? { softDeletedUntil: until } : {}),
      });
    }
    return { name: rg.name ?? name, location: rg.location, resources: listed, vaults };
  }

  /** Whether the subscription has the group (ARM's HEAD: 204 or 404, nothing read). */
  async exists(name: string): Promise<boolean> {
    return (await this.s.clients.resources.resourceGroups.checkExistence(name)).body;
  }

  async delete(name: string, watch?: OperationWatch): Promise<void> {
    const poller = await this.s.clients.resources.resourceGroups.beginDelete(name, {
      updateIntervalInMs: this.s.lroPollIntervalMs,
    });
    await watch?.onAccepted({
      kind: 'resource-group-deletion',
      resourceGroup: name,
      resumeFrom: poller.toString(),
    });
    await poller.pollUntilDone();
  }

  /** One look at a deletion accepted earlier: resumed from its saved state, no new DELETE sent. */
  async followDeletion(resourceGroup: string, resumeFrom: string): Promise<AcceptedOutcome> {
    try {
      const poller = await this.s.clients.resources.resourceGroups.beginDelete(resourceGroup, {
        resumeFrom,
        updateIntervalInMs: this.s.lroPollIntervalMs,
      });
      if (!poller.isDone()) return { state: 'running' };
      await poller.pollUntilDone();
      return { state: 'succeeded' };
    } catch (e) {
      const error = translateAzureError(e);
      return { state: 'failed', message: error.message, code: error.code };
    }
  }
}
