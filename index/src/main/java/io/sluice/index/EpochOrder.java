package io.sluice.index;

import java.util.Random;

/** The order in which the distillation trainers visit their examples in each epoch. */
final class EpochOrder {

  private EpochOrder() {}

  /** A seeded Fisher–Yates shuffle of {@code order}, in place. */
  static void shuffle(int[] order, Random r) {
    for (int i = order.length - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int tmp = order[i];
      order[i] = order[j];
      order[j] = tmp;
    }
  }
}
