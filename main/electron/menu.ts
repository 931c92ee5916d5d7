import type { MenuItemConstructorOptions } from 'electron';
import { ENTITY_TYPES, entities, type EntityType } from '../../shared/entities/registry';

/** What the File menu does; `main/index.ts` binds these to the core through `createMenuActions`. */
export interface FileCommands {
  importEntries(type: EntityType): void;
  exportEntries(type: EntityType): void;
  backUp(): void;
  restoreBackup(): void;
}

/** What the Help menu does: updates (`createUpdateOffers`) and diagnostics (`createHelpActions`). */
export interface HelpCommands {
  checkForUpdates(): void;
  showLogFile(): void;
  copyDiagnostics(): void;
}

export type MenuCommands = FileCommands & HelpCommands;

export interface MenuOptions {
  platform: NodeJS.Platform;
  /** Adds the developer tools toggle (development builds only). */
  devTools: boolean;
  commands: MenuCommands;
}

/** One item per entity type, from the registry, so a new type shows up in the menu by itself. */
function perType(verb: string, run: (type: EntityType) => void): MenuItemConstructorOptions[] {
  return ENTITY_TYPES.map((type) => ({
    label: `${entities[type].pluralLabel}…`,
    id: `${verb}-${type}`,
    click: () => run(type),
  }));
}

/**
 * The application menu: File carries import, export and backup; Help the updates and diagnostics; the rest
 * are Electron's standard roles.
 */
export function buildMenuTemplate({ platform, devTools, commands }: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { label: 'Import', id: 'import', submenu: perType('import', commands.importEntries) },
      { label: 'Export', id: 'export', submenu: perType('export', commands.exportEntries) },
      { type: 'separator' },
      { label: 'Back Up Catalog…', id: 'backup', click: () => commands.backUp() },
      { label: 'Restore from Backup…', id: 'restore', click: () => commands.restoreBackup() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      { role: 'reload' },
      ...(devTools ? [{ role: 'toggleDevTools' } as const] : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [
      { label: 'Check for Updates…', id: 'check-for-updates', click: () => commands.checkForUpdates() },
      { type: 'separator' },
      { label: 'Show Log File', id: 'show-log-file', click: () => commands.showLogFile() },
      { label: 'Copy Diagnostics', id: 'copy-diagnostics', click: () => commands.copyDiagnostics() },
    ],
  };
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    file,
    { role: 'editMenu' },
    view,
    { role: 'windowMenu' },
    help,
  ];
}
