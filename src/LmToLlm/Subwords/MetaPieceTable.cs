namespace LmToLlm.Subwords;

/// <summary>
/// The ids of the special pieces (<c>TrainerInterface::InitMetaPieces</c>): unknown, begin, end and padding at
/// their ids, then control symbols, user-defined symbols and the 256 byte pieces in the first free ids.
/// </summary>
internal static class MetaPieceTable
{
    internal static SortedDictionary<int, (string Piece, SentencePieceType Type)> Build(SubwordTrainerOptions o)
    {
        var meta = new SortedDictionary<int, (string, SentencePieceType)>();
        bool hasUnknown = false;
        void InsertId(int id, string piece, string flag)
        {
            if (id < 0) return;
            if (id >= o.VocabSize) throw new ArgumentException($"{flag} {id} is not below the vocabulary size {o.VocabSize}");
            if (meta.ContainsKey(id)) throw new ArgumentException($"{flag} {id} is used by another special piece");
            if (hasUnknown && piece == o.UnknownPiece) throw new ArgumentException($"the piece {piece} is defined twice");
            bool unknown = piece == o.UnknownPiece;
            if (unknown) hasUnknown = true;
            meta[id] = (piece, unknown ? SentencePieceType.Unknown : SentencePieceType.Control);
        }
        InsertId(o.UnknownId, o.UnknownPiece, "--unk_id");
        InsertId(o.BeginId, o.BeginPiece, "--bos_id");
        InsertId(o.EndId, o.EndPiece, "--eos_id");
        InsertId(o.PadId, o.PadPiece, "--pad_id");
        if (!hasUnknown) throw new ArgumentException($"the unknown piece {o.UnknownPiece} must have an id (--unk_id)");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        int next = 0;
        void InsertSymbol(string piece, SentencePieceType type)
        {
            if (!seen.Add(piece)) throw new ArgumentException($"the symbol {piece} is defined twice");
            if (piece == o.UnknownPiece) throw new ArgumentException($"{piece} must not be a control or user-defined symbol");
            if (piece == o.BeginPiece && o.BeginId >= 0) meta[o.BeginId] = (piece, type);
            else if (piece == o.EndPiece && o.EndId >= 0) meta[o.EndId] = (piece, type);
            else if (piece == o.PadPiece && o.PadId >= 0) meta[o.PadId] = (piece, type);
            else
            {
                while (meta.ContainsKey(next)) next++;
                meta[next] = (piece, type);
            }
        }
        foreach (var s in o.ControlSymbols) InsertSymbol(s, SentencePieceType.Control);
        foreach (var s in o.UserDefinedSymbols) InsertSymbol(s, SentencePieceType.UserDefined);
        if (o.ByteFallback)
            for (int b = 0; b < 256; b++) InsertSymbol(SentencePieceModel.PieceOfByte(b), SentencePieceType.Byte);
        return meta;
    }
}
