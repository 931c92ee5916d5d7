import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { expandMacro } from 'app-builder-lib/out/util/macroExpander.js';
import { DebugLogger } from 'builder-util';
import type { Configuration } from 'electron-builder';
import { describe, expect, it } from 'vitest';

const projectDir = resolve(import.meta.dirname, '../..');

/** The packaging config as electron-builder itself loads it. */
async function loadConfig(): Promise<Configuration> {
  return getConfig(projectDir, 'electron-builder.yml', null);
}

const targetsOf = (target: unknown) =>
  (Array.isArray(target) ? target : [target]).map((t) =>
    typeof t === 'string' ? t : (t as { target: string }).target,
  );

/** PNG width and height from the IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema validation", async () => {
    await expect(validateConfiguration(await loadConfig(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('org.curio.app');
    expect(config.productName).toBe('Curio');
  });

  it('builds AppImage and deb, dmg (and the zip macOS updates from), and nsis', async () => {
    const config = await loadConfig();
    expect(targetsOf(config.linux?.target).sort()).toEqual(['AppImage', 'deb']);
    expect(targetsOf(config.mac?.target)).toEqual(['dmg', 'zip']);
    expect(targetsOf(config.win?.target)).toEqual(['nsis']);
  });

  it('uses icons that exist in resources/ and are large enough for every platform', async () => {
    const config = await loadConfig();
    for (const icon of [config.linux?.icon, config.mac?.icon, config.win?.icon]) {
      expect(icon).toMatch(/^resources\//);
      const file = join(projectDir, icon!);
      expect(existsSync(file)).toBe(true);
      // macOS needs 512x512 at least; Windows 256x256.
      expect(pngSize(file).width).toBeGreaterThanOrEqual(512);
    }
  });

  it("rebuilds the local store's SQLite module for Electron and unpacks it from the asar", async () => {
    const config = await loadConfig();
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(
      expect.arrayContaining(['**/node_modules/better-sqlite3-multiple-ciphers/**', '**/*.node']),
    );
    const dependencies = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8')).dependencies;
    // Only production dependencies are packed: the native module must be one.
    expect(dependencies).toHaveProperty('better-sqlite3-multiple-ciphers');
  });

  it('packs the built app and the package.json whose main points into it', async () => {
    const config = await loadConfig();
    const files = JSON.stringify(config.files);
    for (const part of ['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']) {
      expect(files).toContain(part);
    }
    const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8'));
    expect(pkg.main).toBe('out/main/index.js');
  });

  it('publishes a generic update feed whose address comes from CURIO_UPDATE_URL', async () => {
    const config = await loadConfig();
    expect(config.publish).toEqual({ provider: 'generic', url: '${env.CURIO_UPDATE_URL}' });
    const previous = process.env.CURIO_UPDATE_URL;
    process.env.CURIO_UPDATE_URL = 'https://updates.example.org/curio/';
    try {
      // As electron-builder expands it into the app's app-update.yml.
      expect(expandMacro('${env.CURIO_UPDATE_URL}', null, {} as never)).toBe('https://updates.example.org/curio/');
    } finally {
      if (previous === undefined) delete process.env.CURIO_UPDATE_URL;
      else process.env.CURIO_UPDATE_URL = previous;
    }
    const pkg = JSON.parse(readFileSync(join(projectDir, 'package.json'), 'utf8'));
    // `npm run dist` fills in a placeholder address when CURIO_UPDATE_URL is unset, so it never fails for it.
    expect(pkg.scripts.dist).toBe('electron-vite build && tsx scripts/dist.ts');
    // The updater and the log ship with the app: production dependencies.
    expect(pkg.dependencies).toHaveProperty('electron-updater');
    expect(pkg.dependencies).toHaveProperty('electron-log');
  });
});
