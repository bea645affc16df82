package io.sluice.tokenization;

import java.util.Arrays;

/** A growable {@code int} list that is reused across calls. Not thread-safe. */
final class IntBuffer {
  int[] data = new int[1024];
  int size;

  void add(int v) {
    if (size == data.length) {
      data = Arrays.copyOf(data, size * 2);
    }
    data[size++] = v;
  }

  void addAll(int[] src, int from, int n) {
    if (size + n > data.length) {
      data = Arrays.copyOf(data, Math.max(size + n, data.length * 2));
    }
    System.arraycopy(src, from, data, size, n);
    size += n;
  }

  int[] toArray() {
    return Arrays.copyOf(data, size);
  }
}
