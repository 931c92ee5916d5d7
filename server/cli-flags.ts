import { parseArgs } from 'node:util';

/** One flag a command takes: `--name VALUE` (string) or `--name` alone (boolean). */
export interface FlagSpec {
  readonly type: 'string' | 'boolean';
  /** What the value stands for in usage text: `N`, `FILE`, `viewer|editor|admin`. */
  readonly value?: string;
  readonly multiple?: boolean;
  /** The command is refused without it. */
  readonly required?: boolean;
  readonly short?: string;
  /** Taken by every command (storage): described once, not in each usage line. */
  readonly common?: boolean;
  /** What it does, for `--help`. */
  readonly help?: string;
}

export type FlagSpecs = Readonly<Record<string, FlagSpec>>;

/**
 * One command: its words (`user add`), the words it takes after them (`NAME`), what it does and its flags. The
 * one source for parsing its command line, refusing what it does not take, and its usage text.
 */
export interface CommandSpec {
  readonly words: string;
  readonly args: readonly string[];
  readonly about: readonly string[];
  readonly flags: FlagSpecs;
  /** Too many flags for its usage line (serve): each gets a line of its own below it instead. */
  readonly flagsBelow?: boolean;
}

/** The values of `Flags` as parsed: a boolean flag is true when given, a string flag its value (or values). */
export type FlagValues<Flags extends FlagSpecs> = {
  -readonly [K in keyof Flags]?: Flags[K] extends { type: 'boolean' }
    ? boolean
    : Flags[K] extends { multiple: true }
      ? string[]
      : string;
};

/** A command line of `Commands`, parsed: which command, the words it takes, its flags' values. */
export type CommandLine<Commands extends Readonly<Record<string, CommandSpec>>> =
  | {
      [K in keyof Commands]: {
        command: K;
        args: string[];
        values: FlagValues<Commands[K]['flags']>;
        help: boolean;
      };
    }[keyof Commands]
  | { command: undefined; args: string[]; values: Record<string, never>; help: boolean };

/** The command line is not one the CLI has: said before anything runs, exit code 2 (EX_USAGE of the shells). */
export class CommandLineError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'CommandLineError';
  }
}

const HELP: FlagSpec = { type: 'boolean', short: 'h', help: 'what the command does and the flags it takes' };

/**
 * Parses `argv` as one of `commands` (keyed by their words). The command is found from the words first; then
 * every flag must be one that command takes (or -h/--help), with a value exactly when it takes one, its
 * required flags given, and its words all there and no more. Anything else throws a CommandLineError that
 * names the command, the flag, the nearest flag it takes and all of them.
 * NOTE: the first pass reads the union of every command's flags, so that a value given to a flag another
 * command takes (`user list --days 3`) is not taken for a word of the command line.
 */
export function parseCommandLine<Commands extends Readonly<Record<string, CommandSpec>>>(
  commands: Commands,
  argv: readonly string[],
): CommandLine<Commands> {
  const specs = Object.values(commands);
  const every: Record<string, FlagSpec> = { help: HELP };
  for (const [name, flag] of specs.flatMap((spec) => Object.entries(spec.flags))) {
    if (every[name] && every[name].type !== flag.type)
      throw new Error(`--${name} is a string in one command and not in another`);
    every[name] = flag;
  }
  const { tokens } = parseArgs({
    args: [...argv],
    options: every,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const words = tokens.flatMap((token) => (token.kind === 'positional' ? [token.value] : []));
  const help = tokens.some((token) => token.kind === 'option' && token.name === 'help');
  const names = specs.map((spec) => spec.words);
  if (words.length === 0) {
    const flags = tokens.flatMap((token) => (token.kind === 'option' ? [token.rawName] : []));
    if (flags.length === 0 || help) return { command: undefined, args: [], values: {}, help };
    throw new CommandLineError(`${flags[0]} needs a command before it: ${names.join(', ')}. Nothing was done.`);
  }

  const spec = findCommand(specs, names, words, help);
  if (!spec) return { command: undefined, args: [], values: {}, help: true };
  const args = words.slice(spec.words.split(' ').length + (words[0] === 'help' ? 1 : 0));
  // Help runs nothing, whatever else the line says.
  if (help || words[0] === 'help')
    return { command: spec.words, args, values: {}, help: true } as CommandLine<Commands>;

  const flags: Record<string, FlagSpec> = { ...spec.flags, help: HELP };
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const flag = flags[token.name];
    if (!flag) throw new CommandLineError(notTaken(spec, token.rawName, specs));
    if (flag.type === 'string' && token.value === undefined) {
      throw new CommandLineError(
        `${spec.words}: ${token.rawName} needs a value (${flagUsage(token.name, flag)}). Nothing was done.`,
      );
    }
    // A value that looks like a flag is most likely a forgotten value (as strict parseArgs judges it).
    if (flag.type === 'string' && !token.inlineValue && token.value?.startsWith('-')) {
      const isFlag = token.value.replace(/^--?/, '').split('=')[0]! in every;
      throw new CommandLineError(
        `${spec.words}: ${token.rawName} needs a value (${flagUsage(token.name, flag)}), not ${token.value}` +
          `${isFlag ? '' : `; write ${token.rawName}=${token.value} if that is the value`}. Nothing was done.`,
      );
    }
    if (flag.type === 'boolean' && token.inlineValue) {
      throw new CommandLineError(`${spec.words}: ${token.rawName} takes no value; give it alone. Nothing was done.`);
    }
  }
  const { values } = parseArgs({ args: [...argv], options: flags, strict: false, allowPositionals: true });
  for (const [name, flag] of Object.entries(spec.flags)) {
    if (flag.required && values[name] === undefined)
      throw new CommandLineError(
        `${spec.words} needs ${flagUsage(name, flag)}. Usage: ${usageLine(spec)}. Nothing was done.`,
      );
  }
  if (args.length < spec.args.length) {
    const missing = spec.args.slice(args.length).join(' ');
    throw new CommandLineError(`${spec.words} needs ${missing}. Usage: ${usageLine(spec)}. Nothing was done.`);
  }
  if (args.length > spec.args.length) {
    const taken = spec.args.length === 0 ? 'no words' : `${counted(spec.args.length)} (${spec.args.join(' ')})`;
    const extra = args.slice(spec.args.length).map((word) => `"${word}"`);
    // `npm run server -- bakup x` arrives as `serve bakup x`.
    const near = closest(args[spec.args.length]!, [...new Set(specs.map((other) => other.words.split(' ')[0]!))]);
    throw new CommandLineError(
      `${spec.words} takes ${taken}, not ${extra.join(' ')} too${near ? ` (did you mean the command ${near}?)` : ''}. ` +
        `Usage: ${usageLine(spec)}. Nothing was done.`,
    );
  }
  return { command: spec.words, args, values, help } as CommandLine<Commands>;
}

/**
 * The command whose words begin `words`, the longest first (`user add` before `user`); undefined for the whole
 * usage (`help`, or --help after no command); refused when there is none. `help backup` is `backup --help`.
 */
function findCommand(specs: CommandSpec[], names: string[], words: string[], help: boolean): CommandSpec | undefined {
  const byLength = [...specs].sort((a, b) => b.words.split(' ').length - a.words.split(' ').length);
  const match = (from: string[]) => byLength.find((spec) => spec.words.split(' ').every((word, i) => from[i] === word));
  if (words[0] === 'help') return match(words.slice(1));
  const found = match(words);
  if (found || help) return found;
  const group = names.filter((name) => name.startsWith(`${words[0]} `));
  if (group.length > 0 && words.length === 1) {
    throw new CommandLineError(`${words[0]} needs one more word: ${group.join(', ')}. Nothing was done.`);
  }
  const typed = group.length > 0 ? words.slice(0, 2).join(' ') : words[0]!;
  const near = closest(typed, group.length > 0 ? group : names);
  throw new CommandLineError(
    `There is no command "${typed}"${near ? `; did you mean ${near}?` : '.'}\n` +
      `Commands: ${names.join(', ')}. Nothing was done; help lists them with their flags.`,
  );
}

function notTaken(spec: CommandSpec, rawName: string, specs: CommandSpec[]): string {
  const name = rawName.replace(/^--?/, '');
  const flags = Object.keys(spec.flags);
  const elsewhere = specs.filter((other) => name in other.flags).map((other) => other.words);
  const near = closest(name, [...flags, 'help']);
  const why = near ? `; did you mean --${near}?` : elsewhere.length ? ` (it is for ${elsewhere.join(', ')}).` : '.';
  const takes = [...flags.map((flag) => flagUsage(flag, spec.flags[flag]!)), '-h/--help'].join(', ');
  return [
    `${spec.words} does not take ${rawName}${why}`,
    `${spec.words} takes ${takes}.`,
    `Nothing was done; ${spec.words} --help shows how to use it.`,
  ].join('\n');
}

/** `--days N`, `--yes`. */
export function flagUsage(name: string, flag: FlagSpec): string {
  return flag.type === 'string' ? `--${name} ${flag.value ?? 'VALUE'}` : `--${name}`;
}

/** `user add NAME [--role viewer|editor|admin] …`: the command's words and its own flags (not the common ones). */
export function usageLine(spec: CommandSpec): string {
  const flags = Object.entries(spec.flags)
    .filter(([, flag]) => !flag.common && !spec.flagsBelow)
    .map(([name, flag]) => (flag.required ? flagUsage(name, flag) : `[${flagUsage(name, flag)}]`));
  return [spec.words, ...spec.args, ...flags].join(' ');
}

function counted(n: number): string {
  return n === 1 ? 'one word' : `${n} words`;
}

/**
 * The candidate nearest `typed` when it is a likely typo of it: at most one edit for short names, a quarter
 * of the length for long ones (so `--x` suggests nothing, `--overwite` suggests `--overwrite`).
 */
export function closest(typed: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(typed.toLowerCase(), name.toLowerCase());
    const allowed = Math.max(1, Math.floor(Math.max(typed.length, name.length) / 4));
    if (distance <= allowed && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/** Edits (insert, delete, replace, swap two neighbours) from `a` to `b`: optimal string alignment distance. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}
