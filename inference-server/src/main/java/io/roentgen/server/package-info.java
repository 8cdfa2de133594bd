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
 *   <li>{@code http}: the streaming, bounded {@code multipart/related} reader and body limits.</li>
 *   <li>{@code metrics}: Prometheus metrics through the official client, one registry per server.</li>
 *   <li>{@code bench}: the benchmark harness (server vs in-process batched predictor).</li>
 * </ul>
 *
 * Decoding and preprocessing run on the request threads with the model's own
 * {@code PreprocessingSpec}; only the forward pass is batched.
 */
package io.roentgen.server;
