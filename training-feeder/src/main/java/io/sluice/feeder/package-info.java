/**
 * The training feeder: packed sequences of a token release, streamed over Arrow Flight to each
 * sequence- and data-parallel training rank as exactly its slice (DESIGN.md §5).
 *
 * <p>Public API: {@link io.sluice.feeder.FeederServer} serves a release; {@link
 * io.sluice.feeder.FeederClient} is the training side; {@link io.sluice.feeder.FeedRequest} is the
 * ticket (JSON, readable by any Flight client), {@link io.sluice.feeder.FeedState} the resume state
 * and {@link io.sluice.feeder.FeedBatch} one step's slice. {@link io.sluice.feeder.FeedBench}
 * measures the whole path on loopback. Everything else is package-private.
 *
 * <p>The stream is a pure function of (release, mixture, seed, epoch): every document occurrence of
 * a pass is placed by a seeded shuffle, packed into sequences of {@code seq_len + 1} tokens, and
 * global sequence {@code g} goes to data-parallel rank {@code g mod dp_size}. Nothing depends on
 * how many ranks read it, so a resume state is three integers and dp_size may change between runs.
 */
package io.sluice.feeder;
