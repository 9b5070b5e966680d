import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { usage } from './cli-errors';

/** The options every command may take to say where and as whom it acts. */
export interface ConnectionFlags {
  gateway?: string;
  adminToken?: string;
  as?: string;
  key?: string;
  profile?: string;
}

/** A profile of the config file: defaults for one gateway and one identity. */
interface Profile {
  gateway?: string;
  /** A file holding the admin token (keep it 0600); the token itself is not written in the profile. */
  adminTokenFile?: string;
  as?: string;
  key?: string;
  gatewayId?: string;
}

interface ConfigFile {
  default?: string;
  profiles?: Record<string, Profile>;
}

/** Where the config file is: `$RDX_CONFIG`, else `$XDG_CONFIG_HOME/rdx/config.json`, else `~/.config/rdx/config.json`. */
export function configPath(env: NodeJS.ProcessEnv): string {
  return env.RDX_CONFIG ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'rdx', 'config.json');
}

/**
 * Resolves each setting from its flag, else its environment variable, else the profile
 * (`--profile`, else the file's `default`). Secrets are read, never printed.
 */
export class Settings {
  private readonly profile: Profile;
  private readonly profileDir: string;

  constructor(
    private readonly flags: ConnectionFlags,
    private readonly env: NodeJS.ProcessEnv,
  ) {
    const path = configPath(env);
    this.profileDir = resolve(path, '..');
    this.profile = loadProfile(path, flags.profile);
  }

  gateway(): string {
    const url = this.flags.gateway ?? this.env.RDX_GATEWAY ?? this.profile.gateway;
    if (url === undefined) throw usage('no gateway: give --gateway URL, or set RDX_GATEWAY, or a profile');
    try {
      const parsed = new URL(url);
      if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error();
    } catch {
      throw usage(`the gateway ${JSON.stringify(url)} is not an http(s) URL`);
    }
    return url;
  }

  gatewayId(): string {
    return this.env.RDX_GATEWAY_ID ?? this.profile.gatewayId ?? 'rdx-gateway';
  }

  adminToken(): string {
    const token = this.flags.adminToken ?? this.env.RDX_ADMIN_TOKEN;
    if (token !== undefined) return token;
    if (this.profile.adminTokenFile !== undefined) {
      return readSecret(resolve(this.profileDir, this.profile.adminTokenFile), 'the admin token file');
    }
    throw usage('no admin token: give --admin-token, or set RDX_ADMIN_TOKEN, or adminTokenFile in a profile');
  }

  participant(): string {
    const id = this.flags.as ?? this.env.RDX_PARTICIPANT ?? this.profile.as;
    if (id === undefined) throw usage('no participant: give --as ID, or set RDX_PARTICIPANT, or a profile');
    return id;
  }

  keyFile(): string {
    const file = this.flags.key ?? this.env.RDX_KEY_FILE ?? this.profile.key;
    if (file === undefined) throw usage('no key: give --key FILE, or set RDX_KEY_FILE, or a profile');
    return this.flags.key !== undefined || this.env.RDX_KEY_FILE !== undefined
      ? resolve(file)
      : resolve(this.profileDir, file);
  }
}

function loadProfile(path: string, name: string | undefined): Profile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && name === undefined) return {};
    throw usage(`cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let config: ConfigFile;
  try {
    config = JSON.parse(text) as ConfigFile;
  } catch (error) {
    throw usage(`the config file ${path} is not JSON: ${(error as Error).message}`);
  }
  const chosen = name ?? config.default;
  if (chosen === undefined) return {};
  const profile = config.profiles?.[chosen];
  if (profile === undefined) throw usage(`the config file ${path} has no profile ${JSON.stringify(chosen)}`);
  return profile;
}

/** Reads a secret from a file, warning when others may read it too. */
export function readSecret(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
    if ((statSync(path).mode & 0o077) !== 0) {
      process.stderr.write(`warning: ${path} (${what}) can be read by others; chmod 600 it\n`);
    }
  } catch (error) {
    throw usage(
      `cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  return text;
}
