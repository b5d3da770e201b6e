/**
 * Azure Backup names of an Azure VM: fabric `Azure`, container `iaasvmcontainer;iaasvmcontainerv2;{rg};{vm}`,
 * protected item `vm;iaasvmcontainerv2;{rg};{vm}`. The service takes them from the protectable
 * item's id, as Azure spells them (its casing varies between answers).
 */
export const AZURE_FABRIC = 'Azure';

/** Reads `{rg, vm}` from a container or item name such as `VM;iaasvmcontainerv2;rg;vm`. */
export function parseBackupItemName(name: string): { resourceGroup: string; vm: string } | undefined {
  const parts = name.split(';');
  if (parts.length < 3) return undefined;
  const vm = parts[parts.length - 1]!;
  const resourceGroup = parts[parts.length - 2]!;
  return vm && resourceGroup ? { resourceGroup, vm } : undefined;
}
