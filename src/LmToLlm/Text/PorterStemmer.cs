namespace LmToLlm.Text;

/// <summary>
/// The Porter stemmer: M. F. Porter, "An algorithm for suffix stripping", Program 14(3), 130–137, 1980,
/// as Martin Porter's own reference implementation runs it (his published <c>voc.txt</c>/<c>output.txt</c>
/// pairs are the test). His three departures from the paper are kept: step 2 maps <c>bli → ble</c> (the paper:
/// <c>abli → able</c>) and adds <c>logi → log</c>; words of one or two letters are left alone.
/// Input: a lowercase word in a writable span. Output: the stem, written in place (a stem is never longer
/// than its word), and its length. Allocation-free.
/// </summary>
/// <remarks>
/// A letter is a vowel when it is <c>a e i o u</c>, or <c>y</c> preceded by a consonant; every other
/// character (including digits and non-Latin letters) counts as a consonant, as in the reference implementation.
/// <c>m</c> is the measure of a stem written <c>[C](VC)^m[V]</c>.
/// </remarks>
internal static class PorterStemmer
{
    /// <summary>Stems <paramref name="word"/> in place and returns the length of the stem (≤ the word's length).</summary>
    internal static int Stem(Span<char> word)
    {
        if (word.Length <= 2) return word.Length;
        var state = new State(word);
        state.Step1ab();
        if (state.K > 0)
        {
            state.Step1c();
            state.Step2();
            state.Step3();
            state.Step4();
            state.Step5();
        }
        return state.K + 1;
    }

    /// <summary>Convenience: the stem of <paramref name="word"/> as a string (allocates).</summary>
    internal static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        char[] buffer = word.ToCharArray();
        return new string(buffer, 0, Stem(buffer));
    }

    // b[0..k] is the current word; j marks the end of the stem whose suffix the last Ends() matched.
    private ref struct State(Span<char> b)
    {
        private readonly Span<char> _b = b;
        private int _j;
        public int K = b.Length - 1;

        private readonly bool IsConsonant(int i) => _b[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !IsConsonant(i - 1),
            _ => true,
        };

        /// <summary>m of b[0..j]: the number of VC sequences.</summary>
        private readonly int Measure()
        {
            int n = 0;
            int i = 0;
            while (true)
            {
                if (i > _j) return n;
                if (!IsConsonant(i)) break;
                i++;
            }
            i++;
            while (true)
            {
                while (true)
                {
                    if (i > _j) return n;
                    if (IsConsonant(i)) break;
                    i++;
                }
                i++;
                n++;
                while (true)
                {
                    if (i > _j) return n;
                    if (!IsConsonant(i)) break;
                    i++;
                }
                i++;
            }
        }

        /// <summary>*v*: b[0..j] contains a vowel.</summary>
        private readonly bool VowelInStem()
        {
            for (int i = 0; i <= _j; i++)
                if (!IsConsonant(i)) return true;
            return false;
        }

        /// <summary>*d: b[i-1..i] is a double consonant.</summary>
        private readonly bool DoubleConsonant(int i) => i >= 1 && _b[i] == _b[i - 1] && IsConsonant(i);

        /// <summary>*o: b[i-2..i] is consonant-vowel-consonant and b[i] is not w, x or y.</summary>
        private readonly bool Cvc(int i)
        {
            if (i < 2 || !IsConsonant(i) || IsConsonant(i - 1) || !IsConsonant(i - 2)) return false;
            return _b[i] is not ('w' or 'x' or 'y');
        }

        /// <summary>Whether b[0..k] ends with <paramref name="suffix"/>; if so j becomes the end of the stem before it.</summary>
        private bool Ends(ReadOnlySpan<char> suffix)
        {
            if (suffix.Length > K + 1 || !_b[..(K + 1)].EndsWith(suffix)) return false;
            _j = K - suffix.Length;
            return true;
        }

        /// <summary>Replaces b[j+1..k] by <paramref name="replacement"/>.</summary>
        private void SetTo(ReadOnlySpan<char> replacement)
        {
            replacement.CopyTo(_b[(_j + 1)..]);
            K = _j + replacement.Length;
        }

        /// <summary>SetTo when m &gt; 0.</summary>
        private void ReplaceIfMeasured(ReadOnlySpan<char> replacement)
        {
            if (Measure() > 0) SetTo(replacement);
        }

        /// <summary>Step 1a (plurals) and 1b (-ed, -ing).</summary>
        public void Step1ab()
        {
            if (_b[K] == 's')
            {
                if (Ends("sses")) K -= 2;
                else if (Ends("ies")) SetTo("i");
                else if (_b[K - 1] != 's') K--;
            }
            if (Ends("eed"))
            {
                if (Measure() > 0) K--;
            }
            else if ((Ends("ed") || Ends("ing")) && VowelInStem())
            {
                K = _j;
                if (Ends("at")) SetTo("ate");
                else if (Ends("bl")) SetTo("ble");
                else if (Ends("iz")) SetTo("ize");
                else if (DoubleConsonant(K))
                {
                    K--;
                    if (_b[K] is 'l' or 's' or 'z') K++;
                }
                else if (Measure() == 1 && Cvc(K)) SetTo("e");
            }
        }

        /// <summary>Step 1c: (*v*) y → i.</summary>
        public void Step1c()
        {
            if (Ends("y") && VowelInStem()) _b[K] = 'i';
        }

        /// <summary>Step 2: double suffixes to single ones, when m &gt; 0. The first matching suffix decides.</summary>
        public void Step2()
        {
            switch (_b[K - 1])
            {
                case 'a':
                    if (Ends("ational")) { ReplaceIfMeasured("ate"); break; }
                    if (Ends("tional")) { ReplaceIfMeasured("tion"); break; }
                    break;
                case 'c':
                    if (Ends("enci")) { ReplaceIfMeasured("ence"); break; }
                    if (Ends("anci")) { ReplaceIfMeasured("ance"); break; }
                    break;
                case 'e':
                    if (Ends("izer")) { ReplaceIfMeasured("ize"); break; }
                    break;
                case 'l':
                    if (Ends("bli")) { ReplaceIfMeasured("ble"); break; } // departure: the paper has abli → able
                    if (Ends("alli")) { ReplaceIfMeasured("al"); break; }
                    if (Ends("entli")) { ReplaceIfMeasured("ent"); break; }
                    if (Ends("eli")) { ReplaceIfMeasured("e"); break; }
                    if (Ends("ousli")) { ReplaceIfMeasured("ous"); break; }
                    break;
                case 'o':
                    if (Ends("ization")) { ReplaceIfMeasured("ize"); break; }
                    if (Ends("ation")) { ReplaceIfMeasured("ate"); break; }
                    if (Ends("ator")) { ReplaceIfMeasured("ate"); break; }
                    break;
                case 's':
                    if (Ends("alism")) { ReplaceIfMeasured("al"); break; }
                    if (Ends("iveness")) { ReplaceIfMeasured("ive"); break; }
                    if (Ends("fulness")) { ReplaceIfMeasured("ful"); break; }
                    if (Ends("ousness")) { ReplaceIfMeasured("ous"); break; }
                    break;
                case 't':
                    if (Ends("aliti")) { ReplaceIfMeasured("al"); break; }
                    if (Ends("iviti")) { ReplaceIfMeasured("ive"); break; }
                    if (Ends("biliti")) { ReplaceIfMeasured("ble"); break; }
                    break;
                case 'g':
                    if (Ends("logi")) { ReplaceIfMeasured("log"); break; } // departure: not in the paper
                    break;
            }
        }

        /// <summary>Step 3: -ic-, -full, -ness etc., when m &gt; 0.</summary>
        public void Step3()
        {
            switch (_b[K])
            {
                case 'e':
                    if (Ends("icate")) { ReplaceIfMeasured("ic"); break; }
                    if (Ends("ative")) { ReplaceIfMeasured(""); break; }
                    if (Ends("alize")) { ReplaceIfMeasured("al"); break; }
                    break;
                case 'i':
                    if (Ends("iciti")) { ReplaceIfMeasured("ic"); break; }
                    break;
                case 'l':
                    if (Ends("ical")) { ReplaceIfMeasured("ic"); break; }
                    if (Ends("ful")) { ReplaceIfMeasured(""); break; }
                    break;
                case 's':
                    if (Ends("ness")) { ReplaceIfMeasured(""); break; }
                    break;
            }
        }

        /// <summary>Step 4: removes -ant, -ence etc. when m &gt; 1 (-ion only after s or t).</summary>
        public void Step4()
        {
            bool matched = _b[K - 1] switch
            {
                'a' => Ends("al"),
                'c' => Ends("ance") || Ends("ence"),
                'e' => Ends("er"),
                'i' => Ends("ic"),
                'l' => Ends("able") || Ends("ible"),
                'n' => Ends("ant") || Ends("ement") || Ends("ment") || Ends("ent"),
                'o' => (Ends("ion") && _j >= 0 && _b[_j] is 's' or 't') || Ends("ou"),
                's' => Ends("ism"),
                't' => Ends("ate") || Ends("iti"),
                'u' => Ends("ous"),
                'v' => Ends("ive"),
                'z' => Ends("ize"),
                _ => false,
            };
            if (matched && Measure() > 1) K = _j;
        }

        /// <summary>Step 5: removes a final -e when m &gt; 1 (or m = 1 and not *o), and -ll → -l when m &gt; 1.</summary>
        public void Step5()
        {
            _j = K;
            if (_b[K] == 'e')
            {
                int m = Measure();
                if (m > 1 || (m == 1 && !Cvc(K - 1))) K--;
            }
            if (_b[K] == 'l' && DoubleConsonant(K) && Measure() > 1) K--;
        }
    }
}
