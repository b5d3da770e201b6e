import { AppError } from './errors.js';
import { fact, template } from './suggestions.js';

/**
 * Azure Extended Zones and the region that owns each (the "parent region"). A VM in an Extended
 * Zone has `location` = the parent region and `extendedLocation = { type: 'EdgeZone', name }`;
 * its vault lives in the parent region (DESIGN.md rules 1, 4, 11).
 */
const EXTENDED_ZONE_PARENTS: Readonly<Record<string, string>> = {
  losangeles: 'westus',
  perth: 'australiaeast',
};

/** ARM accepts display names ("West US") and programmatic names ("westus"); compare the latter. */
export function normalizeRegion(name: string): string {
  return name.replace(/[\s_-]+/g, '').toLowerCase();
}

export function isExtendedZone(name: string): boolean {
  return normalizeRegion(name) in EXTENDED_ZONE_PARENTS;
}

export function parentRegionOf(extendedZone: string): string | undefined {
  return EXTENDED_ZONE_PARENTS[normalizeRegion(extendedZone)];
}

/** Rule 1: a vault is created in a region, never in an Extended Zone. */
export function assertVaultLocation(location: string): string {
  const region = normalizeRegion(location);
  if (!/^[a-z0-9]{2,40}$/.test(region)) {
    throw new AppError('validation.location', `"${location}" is not an Azure region name.`, {
      suggestions: [fact('region-name')],
    });
  }
  const parent = parentRegionOf(region);
  if (parent) {
    throw new AppError(
      'validation.vault_in_extended_zone',
      `A Recovery Services vault cannot be created in the Extended Zone "${region}". Create it in the parent region ${parent}: it protects the zone's VMs from there.`,
      {
        suggestions: [template(`create vault <name> in ${parent}`)],
        details: { extendedZone: region, parentRegion: parent },
      },
    );
  }
  return region;
}
