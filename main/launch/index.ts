export { electronBinaryPath } from './electron-binary';
export { electronInstaller, installerFailure } from './electron-install';
export { electronBindingBuilder, electronBindingOf, type Rebuild } from './electron-binding-build';
export {
  chooseStartMode,
  type ElectronBindingBuilder,
  type ElectronInstaller,
  type StartMode,
  type StepOutcome,
} from './start-mode';
