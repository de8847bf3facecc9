import type { AppConfig } from './config.js';

/** The configuration once defaults that need the disk are filled in. */
export interface RuntimeConfig extends AppConfig {
  databaseUrl: string;
  jwtSecret: string;
}
