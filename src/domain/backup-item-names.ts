/**
 * Azure Backup names of an Azure VM: fabric `Azure`, container `iaasvmcontainer;iaasvmcontainerv2;{rg};{vm}`,
 * protected item `vm;iaasvmcontainerv2;{rg};{vm}`. Compared case-insensitively (the service may
 * lower-case the resource group).
 */
export const AZURE_FABRIC = 'Azure';

export function containerNameFor(resourceGroup: string, vm: string): string {
  return `iaasvmcontainer;iaasvmcontainerv2;${resourceGroup};${vm}`;
}

export function protectedItemNameFor(resourceGroup: string, vm: string): string {
  return `vm;iaasvmcontainerv2;${resourceGroup};${vm}`;
}

/** Reads `{rg, vm}` from a container or item name such as `VM;iaasvmcontainerv2;rg;vm`. */
export function parseBackupItemName(name: string): { resourceGroup: string; vm: string } | undefined {
  const parts = name.split(';');
  if (parts.length < 3) return undefined;
  const vm = parts[parts.length - 1]!;
  const resourceGroup = parts[parts.length - 2]!;
  return vm && resourceGroup ? { resourceGroup, vm } : undefined;
}

export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
