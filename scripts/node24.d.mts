// Types of what scripts/node24.mjs exports, for the tests that import it.
export declare const NODE_MAJOR: number;
export declare const NODE_VERSION: string;
export interface InstallTarget {
  lock: string;
  abi: string;
}
export declare function nodePackageName(platform?: string, arch?: string): string;
export declare function installTarget(
  lockFileText: string | Uint8Array,
  modulesAbi: string | number,
): InstallTarget;
export declare function installIsCurrent(markerText: string | undefined, target: InstallTarget): boolean;
