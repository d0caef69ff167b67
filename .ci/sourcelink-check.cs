// Checks that portable PDBs (from a .snupkg) map their sources: each has Source Link JSON pointing at https URLs of one
// commit, and every source document either falls under a mapping or is embedded in the PDB.
//   dotnet run .ci/sourcelink-check.cs -- A.pdb [B.pdb ...]
using System.Reflection.Metadata;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
var embeddedSourceKind = new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE");
int failures = 0;
foreach (string path in args)
{
    using var stream = File.OpenRead(path);
    using var provider = MetadataReaderProvider.FromPortablePdbStream(stream);
    var reader = provider.GetMetadataReader();
    string? json = null;
    var embedded = new HashSet<DocumentHandle>();
    foreach (var handle in reader.CustomDebugInformation)
    {
        var info = reader.GetCustomDebugInformation(handle);
        var kind = reader.GetGuid(info.Kind);
        if (kind == sourceLinkKind) json = Encoding.UTF8.GetString(reader.GetBlobBytes(info.Value));
        else if (kind == embeddedSourceKind && info.Parent.Kind == HandleKind.Document) embedded.Add((DocumentHandle)info.Parent);
    }
    if (json is null)
    {
        Console.Error.WriteLine($"{path}: no Source Link JSON");
        failures++;
        continue;
    }
    var mappings = JsonDocument.Parse(json).RootElement.GetProperty("documents").EnumerateObject()
        .Select(p => (Local: p.Name.TrimEnd('*'), Url: p.Value.GetString()!.TrimEnd('*'))).ToList();
    foreach (var (_, url) in mappings)
    {
        if (!Regex.IsMatch(url, "^https://[^ ]+/[0-9a-f]{40}/$"))
        {
            Console.Error.WriteLine($"{path}: Source Link URL {url} is not https at a commit");
            failures++;
        }
    }
    int mapped = 0, embeddedOnly = 0;
    foreach (var handle in reader.Documents)
    {
        string name = reader.GetString(reader.GetDocument(handle).Name);
        if (mappings.Any(m => name.StartsWith(m.Local, StringComparison.Ordinal))) mapped++;
        else if (embedded.Contains(handle)) embeddedOnly++;
        else
        {
            Console.Error.WriteLine($"{path}: {name} is neither mapped nor embedded");
            failures++;
        }
    }
    if (mapped == 0)
    {
        Console.Error.WriteLine($"{path}: no source file is mapped");
        failures++;
    }
    Console.WriteLine($"source link: {Path.GetFileName(path)} maps {mapped} source files to {mappings[0].Url}*, embeds {embeddedOnly} generated ones");
}
return failures == 0 ? 0 : 1;
