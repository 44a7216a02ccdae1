import type { Command } from 'commander';

/** `deepspike train`, `deepspike bench compare`: the words that run `cmd`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * What follows commander's one-line error after a usage mistake (an unknown option or command, a
 * missing argument): the command's synopsis, its subcommands when it has some, and where the full
 * help is — two or three lines instead of the whole help.
 */
export function shortUsage(cmd: Command): string {
  const path = commandPath(cmd);
  const lines = [`usage: ${path} ${cmd.usage()}`];
  const subcommands = cmd.commands.map((c) => c.name());
  if (subcommands.length > 0) lines.push(`commands: ${subcommands.join(', ')}`);
  lines.push(`see \`${path} --help\` for ${subcommands.length > 0 ? 'what each command does' : 'every option'}${subcommands.length > 0 ? `, \`${path} <command> --help\` for its options` : ''}`);
  return lines.join('\n');
}
