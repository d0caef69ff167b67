namespace LmToLlm.NGrams;

/// <summary>Opens n-gram model files by content: this library's binary format, else ARPA text.</summary>
public static class LanguageModelFile
{
    /// <summary>Loads <paramref name="path"/>: a binary model saved by <see cref="BackoffModel.Save(string, CancellationToken)"/>, or an ARPA file (.gz transparently).</summary>
    public static BackoffModel Open(string path, IProgress<StageProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        Span<byte> head = stackalloc byte[4096];
        int read;
        using (var stream = File.OpenRead(path)) read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (BackoffModel.FileFormat.Recognizes(head[..read])) return BackoffModel.Load(path);
        // ARPA is text: NUL bytes or broken UTF-8 in the first 4 KiB mean another kind of file (word vectors, an index).
        bool compressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        if (!compressed && (head[..read].Contains((byte)0)
            || System.Text.Unicode.Utf8.ToUtf16(head[..read], new char[read], out _, out _, replaceInvalidSequences: false, isFinalBlock: read < head.Length) == System.Buffers.OperationStatus.InvalidData))
            throw new LmToLlmFormatException(path, 0, "not a language model file: neither ARPA text nor this library's binary model; give an ARPA file (KenLM lmplz, 'lmtollm ngram train --arpa') or one saved with 'lmtollm ngram train --binary'");
        return BackoffModel.ReadArpa(path, progress, cancellationToken);
    }
}
