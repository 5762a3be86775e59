// A bad configuration value: stops the process with a message naming the variable.
// In the kernel so module configuration readers (billing.config.ts) need not import config.ts.
export class ConfigError extends Error {
  constructor(
    public variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}
