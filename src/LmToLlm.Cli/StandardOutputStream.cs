using System.Text;
using LmToLlm.Primitives;

namespace LmToLlm.Cli;

/// <summary>
/// The stream an output option of <c>-</c> writes to: the process's standard output, or, when a test runs the CLI with
/// its own writer, a stream that decodes UTF-8 into that writer.
/// </summary>
internal static class StandardOutputStream
{
    public static Func<Stream> For(TextWriter stdout) => ReferenceEquals(stdout, Console.Out)
        ? () => { stdout.Flush(); return Console.OpenStandardOutput(); } // earlier lines first
        : () => new DecodingStream(stdout);

    private sealed class DecodingStream(TextWriter writer) : WriteOnlyStream
    {
        private readonly Decoder _decoder = new UTF8Encoding(false).GetDecoder();

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var chars = new char[_decoder.GetCharCount(buffer, flush: false)];
            int n = _decoder.GetChars(buffer, chars, flush: false);
            writer.Write(chars, 0, n);
        }

        public override void Flush() => writer.Flush();
    }
}
