package io.sluice.jobs;

import io.sluice.feeder.FeederServer;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of a feeder server, shared by {@code feed} and {@code feed-bench}. */
final class FeederOptions {

  @Option(
      names = "--release",
      required = true,
      paramLabel = "PATH",
      description =
          "a release (directory or s3:// prefix with manifest.json and tokens/) or a tokens/ stage"
              + " output")
  String release;

  @Option(
      names = "--mixture",
      paramLabel = "FILE",
      description = "mixture plan (sluice select's mixture.json) instead of the release's own")
  String mixture;

  @Option(
      names = "--eos-id",
      paramLabel = "ID",
      description = "end-of-text id (default: the tokenizer's, by the name in the shard sidecars)")
  Integer eosId;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "where shards of an S3 release are downloaded (default: ~/.cache/sluice/feeder)")
  Path cache;

  @Option(
      names = "--cache-gib",
      paramLabel = "GIB",
      defaultValue = "64",
      description = "bound on the shard cache on disk, in GiB (default: ${DEFAULT-VALUE})")
  long cacheGib;

  @Mixin S3Options s3;

  FeederServer.Options server(String host, int port) {
    FeederServer.Options o = FeederServer.Options.of(release, port).withHost(host);
    o = o.withMixture(mixture).withEosId(eosId).withStorage(s3.config());
    return o.withCache(cache == null ? o.cacheDir() : cache, cacheGib << 30);
  }
}
