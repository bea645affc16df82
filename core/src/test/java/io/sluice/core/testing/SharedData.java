package io.sluice.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the team's shared real data lives ({@code ../shared/data}, or {@code
 * -Dsluice.shared.data}).
 */
public final class SharedData {

  private SharedData() {}

  /** The shared data directory; fails the test (not skips) when it is missing, since CI has it. */
  public static Path root() {
    Path p = Path.of(System.getProperty("sluice.shared.data", "../shared/data"));
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException(
          "shared data not found at " + p.toAbsolutePath() + " (set -Dsluice.shared.data)");
    }
    return p;
  }

  public static Path file(String relative) {
    return root().resolve(relative);
  }
}
