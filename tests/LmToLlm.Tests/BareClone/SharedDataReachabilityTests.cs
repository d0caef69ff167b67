using System.Collections;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace LmToLlm.Tests.BareClone;

/// <summary>
/// Reads the compiled tests (IL) to find every test that can reach <see cref="SharedData.File"/>: each must be marked
/// <see cref="SharedFactAttribute"/> or <see cref="SharedTheoryAttribute"/> so a bare clone skips it, and no static
/// initialiser or class fixture may read ../shared, since those run before any skip.
/// </summary>
public sealed class SharedDataReachabilityTests
{
    private static readonly Assembly Tests = typeof(SharedData).Assembly;
    private static readonly MethodInfo SharedFile = typeof(SharedData).GetMethod(nameof(SharedData.File))!;

    [Fact]
    public void Every_test_that_reads_shared_data_is_marked()
    {
        var unmarked = new List<string>();
        int marked = 0;
        foreach (var (type, method) in TestMethods())
        {
            var roots = new List<MethodBase> { method };
            roots.AddRange(type.GetConstructors());
            roots.AddRange(MemberDataSources(type, method));
            bool reads = Reaches(roots, followDelegates: true);
            bool isMarked = method.GetCustomAttribute<SharedFactAttribute>() is not null || method.GetCustomAttribute<SharedTheoryAttribute>() is not null;
            if (isMarked) marked++;
            else if (reads) unmarked.Add($"{type.FullName}.{method.Name}");
        }
        Assert.True(unmarked.Count == 0, "read ../shared without [SharedFact]/[SharedTheory]: " + string.Join(", ", unmarked));
        Assert.True(marked >= 40, $"only {marked} marked tests found: the scan lost them");
    }

    [Fact]
    public void No_static_initialiser_or_class_fixture_reads_shared_data()
    {
        var offenders = new List<string>();
        foreach (var type in Tests.GetTypes())
        {
            // A lambda the initialiser stores (Lazy<T>) runs later, inside a test; a direct call runs at type load.
            if (type.TypeInitializer is { } initializer && Reaches([initializer], followDelegates: false))
                offenders.Add(type.FullName + " (static initialiser)");
            foreach (var fixture in type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassFixture<>)))
            {
                var fixtureType = fixture.GetGenericArguments()[0];
                if (Reaches([.. fixtureType.GetConstructors()], followDelegates: true)) offenders.Add(fixtureType.FullName + " (class fixture)");
            }
        }
        Assert.True(offenders.Count == 0, "reads ../shared before any test can be skipped: " + string.Join(", ", offenders));
    }

    [Fact]
    public void The_scan_finds_a_read_through_a_helper_a_lambda_and_a_lazy_static()
    {
        Assert.True(Reaches([typeof(Probe).GetMethod(nameof(Probe.ThroughHelper))!], followDelegates: true));
        Assert.True(Reaches([typeof(Probe).GetMethod(nameof(Probe.ThroughLambda))!], followDelegates: true));
        Assert.True(Reaches([typeof(Probe).GetMethod(nameof(Probe.ThroughLazyStatic))!], followDelegates: true));
        Assert.True(Reaches([typeof(Probe).GetMethod(nameof(Probe.ThroughIterator))!], followDelegates: true));
        Assert.False(Reaches([typeof(Probe).GetMethod(nameof(Probe.Nothing))!], followDelegates: true));
        Assert.False(Reaches([typeof(Probe).TypeInitializer!], followDelegates: false));
    }

    private static IEnumerable<(Type, MethodInfo)> TestMethods() =>
        from type in Tests.GetTypes()
        where type.IsPublic || type.IsNestedPublic
        from method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
        where method.GetCustomAttributes<FactAttribute>().Any()
        select (type, method);

    private static IEnumerable<MethodBase> MemberDataSources(Type type, MethodInfo method)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.FlattenHierarchy;
        foreach (var data in method.GetCustomAttributes<MemberDataAttribute>())
        {
            var source = data.MemberType ?? type;
            if (source.GetProperty(data.MemberName, all)?.GetMethod is { } getter) yield return getter;
            foreach (var m in source.GetMethods(all).Where(m => m.Name == data.MemberName)) yield return m;
        }
    }

    /// <summary>
    /// Whether any method reachable from <paramref name="roots"/> through calls into this assembly calls
    /// <see cref="SharedData.File"/>. Static fields pull in their type's initialiser; iterator and async state machines
    /// are followed into; with <paramref name="followDelegates"/>, so are lambdas (ldftn).
    /// </summary>
    private static bool Reaches(IEnumerable<MethodBase> roots, bool followDelegates)
    {
        var seen = new HashSet<MethodBase>();
        var pending = new Stack<MethodBase>(roots);
        while (pending.Count > 0)
        {
            var method = pending.Pop();
            if (!seen.Add(method) || method.Module.Assembly != Tests) continue;
            if (method == SharedFile) return true;
            foreach (var (opcode, member) in Operands(method))
            {
                switch (member)
                {
                    case MethodBase callee when callee == SharedFile:
                        return true;
                    case MethodBase callee when callee.Module.Assembly == Tests:
                        if (opcode == OpCodes.Ldftn && !followDelegates) break;
                        pending.Push(callee);
                        if (opcode == OpCodes.Newobj && IsStateMachine(callee.DeclaringType))
                            foreach (var m in callee.DeclaringType!.GetMethods(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)) pending.Push(m);
                        break;
                    case FieldInfo { IsStatic: true } field when followDelegates && field.DeclaringType?.TypeInitializer is { } init && field.Module.Assembly == Tests:
                        pending.Push(init);
                        break;
                }
            }
        }
        return false;
    }

    private static bool IsStateMachine(Type? type) =>
        type is not null && type.IsDefined(typeof(CompilerGeneratedAttribute)) &&
        (typeof(IEnumerator).IsAssignableFrom(type) || typeof(IAsyncStateMachine).IsAssignableFrom(type));

    private static readonly OpCode[] OneByte = new OpCode[256], TwoByte = new OpCode[256];

    static SharedDataReachabilityTests()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)field.GetValue(null)!;
            if (op.Size == 1) OneByte[op.Value & 0xff] = op;
            else TwoByte[op.Value & 0xff] = op;
        }
    }

    /// <summary>The methods and fields a method's IL refers to, with the instruction that refers to them.</summary>
    private static IEnumerable<(OpCode, MemberInfo)> Operands(MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        Type[]? typeArgs = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        Type[]? methodArgs = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int i = 0; i < il.Length;)
        {
            OpCode op = il[i] == 0xFE ? TwoByte[il[i + 1]] : OneByte[il[i]];
            i += op.Size;
            MemberInfo? member = null;
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineTok)
            {
                try { member = method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArgs, methodArgs); }
                catch (ArgumentException) { }
            }
            i += op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i),
                _ => 4,
            };
            if (member is not null) yield return (op, member);
        }
    }

    /// <summary>Shapes of reading ../shared the scan must see (never run).</summary>
    private static class Probe
    {
        private static readonly Lazy<string> Path = new(() => SharedData.File("probe"));

        public static string ThroughHelper() => Helper();
        public static Func<string> ThroughLambda() => () => SharedData.File("probe");
        public static string ThroughLazyStatic() => Path.Value;
        public static IEnumerable<string> ThroughIterator() { yield return SharedData.File("probe"); }
        public static int Nothing() => 42;
        private static string Helper() => SharedData.File("probe");
    }
}
