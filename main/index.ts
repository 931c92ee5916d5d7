import { join } from 'node:path';
import { app, BrowserWindow } from 'electron';

// The Electron entry point. The local core, IPC transport and hardening land with the shell issue;
// until then the window shows the renderer with the hardened defaults.
function createWindow(): void {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    },
  });
  void window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
}

void app.whenReady().then(createWindow);
app.on('window-all-closed', () => app.quit());
