package io.sluice.core.storage;

/**
 * A file found by {@link Storage#list}: its full path (as {@link Storage} accepts it) and size in
 * bytes.
 */
public record StorageEntry(String path, long size) {}
