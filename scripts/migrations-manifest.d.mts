// Types of migrations-manifest.mjs, for the tests that import it.
export declare const MIGRATION_FILE: RegExp
export declare function sha256(bytes: Uint8Array | string): string
export declare function readManifest(manifestPath: string): Record<string, string>
export declare function compareWithManifest(dir: string, manifest: Record<string, string>): {
  changed: string[]
  missing: string[]
  added: Record<string, string>
}
export declare function appendNewMigrations(dir: string, manifestPath: string): string[]
