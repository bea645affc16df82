package io.sluice.jobs;

import picocli.CommandLine.Option;

/**
 * The address a service binds ({@code serve}, {@code feed}): this machine only unless told
 * otherwise, since neither service has keys on by default.
 */
final class BindOptions {

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description =
          "address to bind (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every"
              + " interface)")
  String host;
}
