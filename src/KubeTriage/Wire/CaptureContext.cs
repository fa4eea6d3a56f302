using KubeTriage.Names;

namespace KubeTriage.Wire;

/// <summary>
/// What the wire analyzers judge: the capture's evidence and, when given, what "normal" looks like.
/// The expectation-based analyzers raise nothing without <see cref="Expectations"/>.
/// </summary>
public sealed record CaptureContext(CaptureEvidence Evidence, Expectations? Expectations = null);
