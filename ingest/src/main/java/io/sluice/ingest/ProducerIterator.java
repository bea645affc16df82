package io.sluice.ingest;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Turns a push-style producer (a reader calling a sink) into a pull-style iterator, which is what a
 * Spark task returns, without holding a whole file's records in memory: the producer runs on its
 * own thread and blocks when {@code capacity} items wait. An exception in the producer is rethrown
 * by {@link #hasNext()}. Single consumer only.
 */
final class ProducerIterator<T> implements Iterator<T> {

  private static final Object END = new Object();

  private final BlockingQueue<Object> queue;
  private final Thread thread;
  private volatile Throwable failure;
  private Object next;

  ProducerIterator(String name, int capacity, Consumer<Consumer<T>> producer) {
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread =
        new Thread(
            () -> {
              try {
                producer.accept(item -> put(item));
              } catch (Throwable t) {
                failure = t;
              } finally {
                try {
                  queue.put(END);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
            },
            name);
    thread.setDaemon(true);
    thread.start();
  }

  private void put(Object item) {
    try {
      queue.put(item);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("producer interrupted (task cancelled)", e);
    }
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      try {
        next = queue.take();
      } catch (InterruptedException e) {
        thread.interrupt();
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + thread.getName(), e);
      }
    }
    if (next == END) {
      if (failure != null) {
        throw new IllegalStateException(thread.getName() + " failed: " + failure, failure);
      }
      return false;
    }
    return true;
  }

  @Override
  @SuppressWarnings("unchecked")
  public T next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    T item = (T) next;
    next = null;
    return item;
  }
}
