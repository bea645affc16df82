/**
 * Dataset releases (DESIGN.md §4): an immutable, versioned copy of a pipeline's output under {@code
 * <root>/<name>/<version>/}, local or on S3, with a {@code manifest.json} written last that lists
 * every file's size and sha256. {@link io.sluice.core.release.Releases} publishes, lists, verifies
 * and fetches them; {@link io.sluice.core.release.ReleaseManifest} is the manifest.
 */
package io.sluice.core.release;
