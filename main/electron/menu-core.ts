import type { Core } from '../core';
import type { MenuCore } from './menu-actions';

type ExportEvents = ReturnType<MenuCore['exportBackup']>;

/** The File menu's view of the core: its backup procedures, called as the local session. */
export function menuCoreOf(core: Pick<Core, 'createCaller'>): MenuCore {
  const backup = () => core.createCaller().backup;
  return {
    checkImport: (type, source) => backup().validateImport({ type, ...source }),
    importEntries: (type, source) => backup().importEntities({ type, ...source }),
    async *exportEntries(type, format, filePath): ExportEvents {
      yield* await backup().exportEntities({ type, format, filePath });
    },
    async *exportBackup(filePath): ExportEvents {
      const events = await backup().export({ filePath });
      yield* events;
    },
    previewRestore: (filePath) => backup().previewRestore({ filePath }),
    restoreBackup: (filePath, token) => backup().restore({ filePath, token }),
  };
}
