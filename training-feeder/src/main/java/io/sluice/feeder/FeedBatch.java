package io.sluice.feeder;

/**
 * One step's slice for one rank: the columns of DESIGN.md §5 for the tokens of this rank's part of
 * one packed sequence.
 *
 * @param step step number within this stream, from 0
 * @param epoch pass the sequence belongs to
 * @param sequence index of the sequence within its pass
 * @param state the state to resume from after this step (the same on every rank of the step)
 * @param inputIds token ids of the slice
 * @param labels the next token of each input position in the whole sequence; -100 where there is no
 *     loss (padding after the end of a pass)
 * @param positionIds position of each token within its document segment, reset at each document
 *     start (and at the start of the sequence)
 * @param cuSeqlens segment boundaries of the whole sequence: 0, each document start inside it,
 *     seq_len
 */
public record FeedBatch(
    long step,
    long epoch,
    long sequence,
    FeedState state,
    int[] inputIds,
    int[] labels,
    int[] positionIds,
    int[] cuSeqlens) {}
