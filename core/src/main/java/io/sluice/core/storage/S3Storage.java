package io.sluice.core.storage;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link Storage} over S3 through the AWS SDK v2. Works against AWS and S3-compatible servers
 * (endpoint override plus path-style addressing). Writes are staged in a local temporary file and
 * uploaded on close, so an object appears whole or not at all.
 */
public final class S3Storage implements Storage {

  private final StorageConfig config;
  private final S3Client client;

  public S3Storage(StorageConfig config) {
    this.config = config;
    S3ClientBuilder builder =
        S3Client.builder()
            .region(Region.of(config.region()))
            .forcePathStyle(config.pathStyle())
            .httpClientBuilder(ApacheHttpClient.builder())
            .overrideConfiguration(
                o ->
                    o.apiCallTimeout(config.callTimeout())
                        .retryStrategy(r -> r.maxAttempts(config.maxAttempts())));
    if (config.endpoint() != null) {
      builder.endpointOverride(config.endpoint());
    }
    builder.credentialsProvider(
        config.accessKey() == null
            ? DefaultCredentialsProvider.builder().build()
            : StaticCredentialsProvider.create(
                AwsBasicCredentials.create(config.accessKey(), config.secretKey())));
    this.client = builder.build();
  }

  /**
   * The SDK client, for callers that need more than this interface (multipart uploads, bucket
   * admin).
   */
  public S3Client client() {
    return client;
  }

  @Override
  public InputStream open(String path) throws IOException {
    S3Location loc = S3Location.parse(path);
    try {
      return client.getObject(b -> b.bucket(loc.bucket()).key(loc.key()));
    } catch (NoSuchKeyException | NoSuchBucketException e) {
      throw new FileNotFoundException("no such S3 object: " + path);
    } catch (SdkException e) {
      throw wrap("read", loc, e);
    }
  }

  @Override
  public OutputStream create(String path) throws IOException {
    S3Location loc = S3Location.parse(path);
    Path tmp = Files.createTempFile("sluice-s3-upload", ".tmp");
    return new PublishOnClose(
        tmp,
        finished -> {
          try {
            client.putObject(
                b -> b.bucket(loc.bucket()).key(loc.key()), RequestBody.fromFile(finished));
          } catch (SdkException e) {
            throw wrap("write", loc, e);
          }
        });
  }

  /** Files larger than this go up as multipart uploads in {@link #upload}. */
  static final long MULTIPART_THRESHOLD = 64L << 20;

  static final int PART_SIZE = 16 << 20;

  /**
   * Uploads a local file: one PUT up to {@value #MULTIPART_THRESHOLD} bytes, a multipart upload of
   * 16 MiB parts above (aborted on failure, so no orphaned parts stay behind).
   */
  public void upload(String path, Path file) throws IOException {
    S3Location loc = S3Location.parse(path);
    long size = Files.size(file);
    try {
      if (size <= MULTIPART_THRESHOLD) {
        client.putObject(b -> b.bucket(loc.bucket()).key(loc.key()), RequestBody.fromFile(file));
        return;
      }
      String id =
          client.createMultipartUpload(b -> b.bucket(loc.bucket()).key(loc.key())).uploadId();
      try {
        List<CompletedPart> parts = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(file)) {
          int number = 1;
          for (long off = 0; off < size; off += PART_SIZE, number++) {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(PART_SIZE, size - off));
            while (buf.hasRemaining()) {
              if (ch.read(buf, off + buf.position()) < 0) {
                throw new IOException(file + " shrank while it was being uploaded");
              }
            }
            int n = number;
            String etag =
                client
                    .uploadPart(
                        b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(id).partNumber(n),
                        RequestBody.fromBytes(buf.array()))
                    .eTag();
            parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
          }
        }
        client.completeMultipartUpload(
            b ->
                b.bucket(loc.bucket())
                    .key(loc.key())
                    .uploadId(id)
                    .multipartUpload(m -> m.parts(parts)));
      } catch (IOException | RuntimeException e) {
        try {
          client.abortMultipartUpload(b -> b.bucket(loc.bucket()).key(loc.key()).uploadId(id));
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    } catch (SdkException e) {
      throw wrap("write", loc, e);
    }
  }

  @Override
  public List<StorageEntry> list(String prefix) throws IOException {
    S3Location loc = S3Location.parse(prefix);
    List<StorageEntry> entries = new ArrayList<>();
    try {
      if (!loc.key().isEmpty() && !loc.key().endsWith("/")) {
        Long size = sizeOrNull(loc);
        if (size != null) {
          return List.of(new StorageEntry(loc.toString(), size));
        }
      }
      String dirKey = loc.key().isEmpty() || loc.key().endsWith("/") ? loc.key() : loc.key() + "/";
      for (S3Object o :
          client.listObjectsV2Paginator(b -> b.bucket(loc.bucket()).prefix(dirKey)).contents()) {
        entries.add(new StorageEntry(loc.uri(o.key()), o.size()));
      }
    } catch (NoSuchBucketException e) {
      throw new FileNotFoundException(
          "no such S3 bucket: " + loc.bucket() + " (listing " + prefix + ")");
    } catch (SdkException e) {
      throw wrap("list", loc, e);
    }
    if (entries.isEmpty()) {
      throw new FileNotFoundException("no S3 objects under " + prefix);
    }
    entries.sort(Comparator.comparing(StorageEntry::path));
    return entries;
  }

  @Override
  public boolean exists(String path) throws IOException {
    S3Location loc = S3Location.parse(path);
    try {
      return sizeOrNull(loc) != null;
    } catch (SdkException e) {
      throw wrap("check", loc, e);
    }
  }

  private Long sizeOrNull(S3Location loc) {
    try {
      return client.headObject(b -> b.bucket(loc.bucket()).key(loc.key())).contentLength();
    } catch (NoSuchKeyException e) {
      return null;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw e;
    }
  }

  @Override
  public void delete(String path) throws IOException {
    S3Location loc = S3Location.parse(path);
    List<StorageEntry> entries;
    try {
      entries = list(path);
    } catch (FileNotFoundException e) {
      return;
    }
    try {
      for (int i = 0; i < entries.size(); i += 1000) {
        List<ObjectIdentifier> ids = new ArrayList<>();
        for (StorageEntry e : entries.subList(i, Math.min(entries.size(), i + 1000))) {
          ids.add(ObjectIdentifier.builder().key(S3Location.parse(e.path()).key()).build());
        }
        client.deleteObjects(
            b -> b.bucket(loc.bucket()).delete(Delete.builder().objects(ids).build()));
      }
    } catch (SdkException e) {
      throw wrap("delete", loc, e);
    }
  }

  /** Turns SDK exceptions into IOExceptions that name the object, the endpoint and the cause. */
  private IOException wrap(String action, S3Location loc, SdkException e) {
    String where =
        config.endpoint() == null
            ? "AWS S3 (" + config.region() + ")"
            : config.endpoint().toString();
    if (e instanceof SdkClientException) {
      return new IOException(
          "cannot "
              + action
              + " "
              + loc
              + ": S3 endpoint "
              + where
              + " unreachable or failing: "
              + rootMessage(e),
          e);
    }
    return new IOException(
        "cannot " + action + " " + loc + " at " + where + ": " + rootMessage(e), e);
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return root == t ? m : t.getMessage() + " (" + root.getClass().getSimpleName() + ": " + m + ")";
  }

  @Override
  public void close() {
    client.close();
  }
}
