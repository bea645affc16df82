package io.sluice.index;

import java.util.List;

/**
 * Turns query texts into vectors in the document tower's space: either the document tower itself
 * (the teacher, with its query prefix) or a small encoder plus a distilled {@link ProjectionHead}
 * (the student). Owns its encoder; thread-safe after construction.
 */
final class QueryTower implements AutoCloseable {

  private final OnnxEncoder encoder;
  private final ProjectionHead head;
  private final String name;

  /**
   * @param encoder ownership passes to this tower
   * @param head null for the teacher
   */
  QueryTower(OnnxEncoder encoder, ProjectionHead head) {
    this.encoder = encoder;
    this.head = head;
    if (head != null && head.dIn != encoder.dim()) {
      encoder.close();
      throw new IllegalArgumentException(
          "dimension mismatch: query encoder "
              + encoder.config().name()
              + "="
              + encoder.dim()
              + " vs query head input="
              + head.dIn);
    }
    this.name = encoder.config().name() + (head == null ? "" : "+head");
  }

  String name() {
    return name;
  }

  int dim() {
    return head == null ? encoder.dim() : head.dOut;
  }

  float[] encode(List<String> queries, int batch) {
    float[] v = encoder.encodeQueries(queries, batch);
    return head == null ? v : head.apply(v);
  }

  OnnxEncoder encoder() {
    return encoder;
  }

  @Override
  public void close() {
    encoder.close();
  }
}
