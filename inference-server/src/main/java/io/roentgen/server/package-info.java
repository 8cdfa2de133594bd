/**
 * Roentgen's inference server.
 *
 * <ul>
 *   <li>{@link io.roentgen.server.InferenceServer}: the Javalin app, graceful stop, auth, errors as
 *       {@code {"error": ...}}, access log and request metrics by route template.</li>
 *   <li>{@code repository}: {@code DIR/<model>/<version>/} bundles loaded through pluggable
 *       {@link io.roentgen.server.repository.ModelFormat}s, hot reload without dropped requests.</li>
 *   <li>{@code batching}: {@link io.roentgen.server.batching.DynamicBatcher}, one bounded queue per
 *       model version, one worker (and classifier replica) per device.</li>
 *   <li>{@code routes}: KServe v2, DICOM classification, DICOMweb STOW-RS, results.</li>
 *   <li>{@code http}: the HTTP edge: the streaming, bounded {@code multipart/related} reader, body
 *       limits, Jetty's connector, {@code ApiException} and JSON answers.</li>
 *   <li>{@code admission}: the request memory budget and the server's limits.</li>
 *   <li>{@code results}: the classification results kept for {@code GET /v1/results}.</li>
 *   <li>{@code metrics}: Prometheus metrics through the official client, one registry per server.</li>
 * </ul>
 *
 * Decoding and preprocessing run on the request threads with the model's own
 * {@code PreprocessingSpec}; only the forward pass is batched.
 *
 * <p>The packages form a hierarchy (docs/DECISIONS.md): this package wires the others and nothing
 * imports it. Only {@code routes}, {@code http} and this package know HTTP status codes: the
 * batcher, the repository and the memory budget report failures in their own terms, and
 * {@link io.roentgen.server.routes.FailureStatus} maps them.
 */
package io.roentgen.server;
