namespace LmToLlm.Corpora;

/// <summary>
/// A folder of text files, one document per file. Input: a folder; files in subfolders count, names starting with a
/// dot (and hidden or system files) are skipped. Output: documents in ordinal order of their relative paths,
/// id = the path relative to the folder with <c>/</c> separators, no title, text = the file's UTF-8 content with line
/// ends made <c>\n</c> (<c>.gz</c> files decompressed). A file that is not UTF-8 raises
/// <see cref="LmToLlmFormatException"/> naming it and the line.
/// </summary>
internal static class FolderCorpus
{
    /// <summary>The relative paths of the documents of <paramref name="folder"/>, in reading order.</summary>
    public static IReadOnlyList<string> Files(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: folder not found");
        var options = new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.System, IgnoreInaccessible = false };
        var files = new List<string>();
        foreach (string file in Directory.EnumerateFiles(folder, "*", options))
        {
            string relative = Path.GetRelativePath(folder, file).Replace(Path.DirectorySeparatorChar, '/');
            if (relative.Split('/').Any(part => part.StartsWith('.'))) continue;
            files.Add(relative);
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    /// <summary>Streams the documents of <paramref name="folder"/> with their 1-based position and relative path.</summary>
    public static IEnumerable<SourceRecord> ReadRecords(string folder)
    {
        var files = Files(folder);
        for (int i = 0; i < files.Count; i++)
        {
            string path = Path.Combine(folder, files[i]);
            string text = string.Join('\n', TextLines.Read(path).Select(l => l.Text));
            yield return new SourceRecord(i + 1, files[i], new Document(files[i], "", text));
        }
    }
}
