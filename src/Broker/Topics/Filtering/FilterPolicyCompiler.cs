using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Broker.Topics.Filtering;

/// <summary>Validates filter policy JSON against the SNS rules and compiles it into an immutable <see cref="PolicyNode"/> tree.</summary>
/// <remarks>Every failure names what is wrong and where, as a path such as <c>detail.price[1]</c> or <c>$or[0].size</c>.</remarks>
internal sealed class FilterPolicyCompiler
{
    private const string OrKey = "$or";
    private const string KnownOperators = "anything-but, cidr, equals-ignore-case, exists, numeric, prefix, suffix";
    private const long CombinationCap = 1_000_000; // keeps the running product far from overflow; anything above the limit fails anyway

    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Disallow,
    };

    // Ruler's list of keywords that stop "$or" from being read as the OR operator ("wildcard" is an EventBridge operator).
    private static readonly string[] s_reservedKeywords =
        ["anything-but", "cidr", "equals-ignore-case", "exists", "numeric", "prefix", "suffix", "wildcard"];

    private readonly FilterPolicyScope _scope;
    private string? _error;

    private FilterPolicyCompiler(FilterPolicyScope scope) => _scope = scope;

    public static bool TryCompile(
        string json,
        FilterPolicyScope scope,
        [NotNullWhen(true)] out PolicyNode? root,
        [NotNullWhen(false)] out string? error)
    {
        root = null;
        int size = Encoding.UTF8.GetByteCount(json);
        if (size > FilterPolicyLimits.MaxPolicySize)
        {
            error = $"Invalid filter policy: it is {size} bytes long; the limit is {FilterPolicyLimits.MaxPolicySize} bytes.";
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, s_documentOptions);
        }
        catch (JsonException exception)
        {
            error = $"Invalid filter policy: it is not valid JSON ({exception.Message})";
            return false;
        }
        catch (ArgumentException exception)
        {
            // Thrown for text that is not valid UTF-16, such as a lone surrogate.
            error = $"Invalid filter policy: it is not valid JSON text ({exception.Message})";
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = $"Invalid filter policy: it must be a JSON object, not {Describe(document.RootElement.ValueKind)}.";
                return false;
            }

            var compiler = new FilterPolicyCompiler(scope);
            long combinations = 1;
            PolicyNode? node = compiler.CompileObject(document.RootElement, path: string.Empty, depth: 1, ref combinations);
            if (node is null)
            {
                error = compiler._error!;
                return false;
            }

            int keys = node.CountKeysOfWidestAlternative();
            if (keys > FilterPolicyLimits.MaxKeys)
            {
                error = $"Invalid filter policy: it has {keys} keys (counting top-level keys, and with $or the widest alternative); the limit is {FilterPolicyLimits.MaxKeys}.";
                return false;
            }

            if (combinations > FilterPolicyLimits.MaxCombinations)
            {
                string count = combinations >= CombinationCap ? $"more than {CombinationCap}" : combinations.ToString(CultureInfo.InvariantCulture);
                error = $"Invalid filter policy: it is too complex, with {count} value combinations; the limit is {FilterPolicyLimits.MaxCombinations}. "
                    + "Combinations are the product of the value-array lengths, each multiplied by its nesting depth, with $or alternatives added.";
                return false;
            }

            root = node;
            error = null;
            return true;
        }
    }

    private PolicyNode? CompileObject(JsonElement element, string path, int depth, ref long combinations)
    {
        var keys = new List<KeyRule>();
        var orGroups = new List<PolicyNode[]>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (JsonProperty property in element.EnumerateObject())
        {
            string name = property.Name;
            string keyPath = path.Length == 0 ? name : path + "." + name;
            if (!seen.Add(name))
            {
                return Fail(keyPath, "the key appears more than once in the same object.");
            }

            JsonElement value = property.Value;
            if (name == OrKey && IsOrOperator(value))
            {
                PolicyNode[]? alternatives = CompileOr(value, keyPath, depth, ref combinations);
                if (alternatives is null)
                {
                    return null;
                }

                orGroups.Add(alternatives);
                continue;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.Array:
                    ConditionSet? conditions = CompileConditions(value, keyPath, isOrKey: name == OrKey);
                    if (conditions is null)
                    {
                        return null;
                    }

                    combinations = Math.Min(CombinationCap, combinations * value.GetArrayLength() * depth);
                    keys.Add(new KeyRule(name, conditions));
                    break;
                case JsonValueKind.Object when _scope == FilterPolicyScope.MessageAttributes:
                    return Fail(keyPath, "nested policy objects are only allowed when the scope is MessageBody; attribute policies are flat, one key per attribute.");
                case JsonValueKind.Object:
                    if (IsEmptyObject(value))
                    {
                        return Fail(keyPath, "a nested policy object must not be empty.");
                    }

                    PolicyNode? nested = CompileObject(value, keyPath, depth + 1, ref combinations);
                    if (nested is null)
                    {
                        return null;
                    }

                    keys.Add(new KeyRule(name, nested));
                    break;
                default:
                    string expected = _scope == FilterPolicyScope.MessageBody ? "an array of values or a nested object" : "an array of values";
                    return Fail(keyPath, $"the value must be {expected}, not {Describe(value.ValueKind)}; write [\"x\"] rather than \"x\".");
            }
        }

        return new PolicyNode([.. keys], [.. orGroups]);
    }

    private PolicyNode[]? CompileOr(JsonElement array, string path, int depth, ref long combinations)
    {
        var alternatives = new PolicyNode[array.GetArrayLength()];
        long start = combinations;
        long sum = 0;
        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string itemPath = $"{path}[{index}]";
            if (IsEmptyObject(item))
            {
                return FailArray(itemPath, "an $or alternative must not be empty.");
            }

            long branchCombinations = start;
            PolicyNode? alternative = CompileObject(item, itemPath, depth, ref branchCombinations);
            if (alternative is null)
            {
                return null;
            }

            sum = Math.Min(CombinationCap, sum + branchCombinations);
            alternatives[index++] = alternative;
        }

        combinations = sum;
        return alternatives;
    }

    private ConditionSet? CompileConditions(JsonElement array, string path, bool isOrKey)
    {
        if (array.GetArrayLength() == 0)
        {
            return FailSet(path, "the value array must not be empty.");
        }

        var conditions = new List<FilterCondition>();
        bool matchesPresent = false;
        bool matchesAbsent = false;
        int index = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string itemPath = $"{path}[{index++}]";
            switch (item.ValueKind)
            {
                case JsonValueKind.String:
                    conditions.Add(new ExactStringCondition(item.GetString()!));
                    break;
                case JsonValueKind.Number:
                    if (!TryReadNumber(item, itemPath, "a value", out double number))
                    {
                        return null;
                    }

                    conditions.Add(NumericCondition.EqualTo(number));
                    break;
                case JsonValueKind.True:
                    conditions.Add(new LiteralCondition(FilterValueKind.True));
                    break;
                case JsonValueKind.False:
                    conditions.Add(new LiteralCondition(FilterValueKind.False));
                    break;
                case JsonValueKind.Null:
                    conditions.Add(new LiteralCondition(FilterValueKind.Null));
                    break;
                case JsonValueKind.Object:
                    if (!TryGetSingleOperator(item, itemPath, isOrKey, out string? name, out JsonElement operand))
                    {
                        return null;
                    }

                    if (name == "exists")
                    {
                        if (operand.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                        {
                            return FailSet(itemPath, $"\"exists\" takes true or false, not {Describe(operand.ValueKind)}.");
                        }

                        matchesPresent |= operand.ValueKind == JsonValueKind.True;
                        matchesAbsent |= operand.ValueKind == JsonValueKind.False;
                        break;
                    }

                    FilterCondition? condition = CompileOperator(name, operand, itemPath, isOrKey);
                    if (condition is null)
                    {
                        return null;
                    }

                    conditions.Add(condition);
                    break;
                default:
                    return FailSet(itemPath, "a value array may hold strings, numbers, true, false, null and operator objects, not nested arrays.");
            }
        }

        return new ConditionSet([.. conditions], matchesPresent, matchesAbsent);
    }

    private bool TryGetSingleOperator(JsonElement item, string path, bool isOrKey, [NotNullWhen(true)] out string? name, out JsonElement operand)
    {
        name = null;
        operand = default;
        int count = 0;
        foreach (JsonProperty property in item.EnumerateObject())
        {
            name = property.Name;
            operand = property.Value;
            count++;
        }

        if (count == 1 && name is not null)
        {
            return true;
        }

        string hint = isOrKey ? OrHint : string.Empty;
        _error = Format(path, $"an operator object must have exactly one key, such as {{\"prefix\": \"abc\"}}; this one has {count}.{hint}");
        name = null;
        return false;
    }

    private static string OrHint => " ($or is read as the OR operator only when its value is an array of at least two policy objects that use no operator names as keys.)";

    private FilterCondition? CompileOperator(string name, JsonElement operand, string path, bool isOrKey)
    {
        switch (name)
        {
            case "prefix":
                return TryReadString(operand, path, name, out string? prefix) ? new PrefixCondition(prefix) : null;
            case "suffix":
                return TryReadString(operand, path, name, out string? suffix) ? new SuffixCondition(suffix) : null;
            case "equals-ignore-case":
                return TryReadString(operand, path, name, out string? text) ? new EqualsIgnoreCaseCondition(text) : null;
            case "numeric":
                return CompileNumeric(operand, path);
            case "anything-but":
                return CompileAnythingBut(operand, path);
            case "cidr":
                if (!TryReadString(operand, path, name, out string? cidr))
                {
                    return null;
                }

                if (!CidrCondition.TryCreate(cidr, out CidrCondition? condition, out string? cidrError))
                {
                    return FailCondition(path, cidrError);
                }

                return condition;
            default:
                string hint = isOrKey ? OrHint : string.Empty;
                return FailCondition(path, $"\"{name}\" is not a known operator; the operators are {KnownOperators}.{hint}");
        }
    }

    private FilterCondition? CompileNumeric(JsonElement operand, string path)
    {
        int length = operand.ValueKind == JsonValueKind.Array ? operand.GetArrayLength() : -1;
        if (length is not (2 or 4))
        {
            return FailCondition(path, "\"numeric\" takes an array of one operator and a number, as in [\">=\", 100], or of a lower and an upper bound, as in [\">\", 0, \"<=\", 150].");
        }

        if (!TryReadNumericOperator(operand[0], path, out string? first) || !TryReadNumber(operand[1], path, $"the operand of \"{first}\"", out double firstValue))
        {
            return null;
        }

        if (length == 2)
        {
            return first switch
            {
                "=" => NumericCondition.EqualTo(firstValue),
                "<" => new NumericCondition(double.NegativeInfinity, false, firstValue, false),
                "<=" => new NumericCondition(double.NegativeInfinity, false, firstValue, true),
                ">" => new NumericCondition(firstValue, false, double.PositiveInfinity, false),
                _ => new NumericCondition(firstValue, true, double.PositiveInfinity, false),
            };
        }

        if (first is not (">" or ">="))
        {
            return FailCondition(path, $"a numeric range starts with its lower bound, \">\" or \">=\", not \"{first}\".");
        }

        if (!TryReadNumericOperator(operand[2], path, out string? second) || !TryReadNumber(operand[3], path, $"the operand of \"{second}\"", out double secondValue))
        {
            return null;
        }

        if (second is not ("<" or "<="))
        {
            return FailCondition(path, $"a numeric range ends with its upper bound, \"<\" or \"<=\", not \"{second}\".");
        }

        if (firstValue >= secondValue)
        {
            return FailCondition(path, $"the lower bound {FormatNumber(firstValue)} of the numeric range must be less than its upper bound {FormatNumber(secondValue)}.");
        }

        return new NumericCondition(firstValue, first == ">=", secondValue, second == "<=");
    }

    private FilterCondition? CompileAnythingBut(JsonElement operand, string path)
    {
        switch (operand.ValueKind)
        {
            case JsonValueKind.String:
                return new AnythingButCondition([new ExactStringCondition(operand.GetString()!)]);
            case JsonValueKind.Number:
                return TryReadNumber(operand, path, "the operand of \"anything-but\"", out double number)
                    ? new AnythingButCondition([NumericCondition.EqualTo(number)])
                    : null;
            case JsonValueKind.Array:
                return CompileAnythingButList(operand, path);
            case JsonValueKind.Object:
                if (!TryGetSingleOperator(operand, path, isOrKey: false, out string? name, out JsonElement inner))
                {
                    return null;
                }

                if (name is not ("prefix" or "suffix"))
                {
                    return FailCondition(path, $"\"anything-but\" accepts an object with \"prefix\" or \"suffix\", not \"{name}\".");
                }

                if (!TryReadString(inner, path, $"anything-but {name}", out string? text))
                {
                    return null;
                }

                FilterCondition excluded = name == "prefix" ? new PrefixCondition(text) : new SuffixCondition(text);
                return new AnythingButCondition([excluded]);
            default:
                return FailCondition(path, $"\"anything-but\" takes a string, a number, a list of strings or of numbers, or a prefix or suffix object, not {Describe(operand.ValueKind)}.");
        }
    }

    private FilterCondition? CompileAnythingButList(JsonElement list, string path)
    {
        int length = list.GetArrayLength();
        if (length == 0)
        {
            return FailCondition(path, "the \"anything-but\" list must not be empty.");
        }

        JsonValueKind kind = list[0].ValueKind;
        var excluded = new FilterCondition[length];
        int index = 0;
        foreach (JsonElement item in list.EnumerateArray())
        {
            if (item.ValueKind != kind || kind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                return FailCondition(path, "the \"anything-but\" list must hold only strings or only numbers.");
            }

            if (kind == JsonValueKind.String)
            {
                excluded[index++] = new ExactStringCondition(item.GetString()!);
                continue;
            }

            if (!TryReadNumber(item, path, "an \"anything-but\" value", out double number))
            {
                return null;
            }

            excluded[index++] = NumericCondition.EqualTo(number);
        }

        return new AnythingButCondition(excluded);
    }

    private bool TryReadNumericOperator(JsonElement element, string path, [NotNullWhen(true)] out string? op)
    {
        op = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        if (op is "=" or "<" or "<=" or ">" or ">=")
        {
            return true;
        }

        string found = op is null ? Describe(element.ValueKind) : $"\"{op}\"";
        _error = Format(path, $"{found} is not a numeric operator; use one of =, <, <=, >, >=.");
        op = null;
        return false;
    }

    private bool TryReadNumber(JsonElement element, string path, string what, out double number)
    {
        number = 0;
        if (element.ValueKind != JsonValueKind.Number)
        {
            _error = Format(path, $"{what} must be a JSON number, not {Describe(element.ValueKind)}.");
            return false;
        }

        if (!element.TryGetDouble(out number) || !double.IsFinite(number) || Math.Abs(number) > FilterPolicyLimits.MaxNumericMagnitude)
        {
            _error = Format(path, $"{what} {element.GetRawText()} is out of range; numbers in a filter policy must be between -1000000000 and 1000000000.");
            return false;
        }

        return true;
    }

    private bool TryReadString(JsonElement element, string path, string what, [NotNullWhen(true)] out string? text)
    {
        text = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        if (text is not null)
        {
            return true;
        }

        _error = Format(path, $"\"{what}\" takes a string, not {Describe(element.ValueKind)}.");
        return false;
    }

    // Ruler's rule: "$or" is the operator only for an array of two or more objects, none of which uses an operator
    // name as a key; anything else keeps "$or" as an ordinary key name.
    private static bool IsOrOperator(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() < 2)
        {
            return false;
        }

        foreach (JsonElement item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (JsonProperty property in item.EnumerateObject())
            {
                if (Array.IndexOf(s_reservedKeywords, property.Name) >= 0)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsEmptyObject(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        using JsonElement.ObjectEnumerator properties = element.EnumerateObject();
        return !properties.MoveNext();
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string Format(string path, string problem) => $"Invalid filter policy at '{path}': {problem}";

    private static string FormatNumber(double number) => number.ToString("R", CultureInfo.InvariantCulture);

    private PolicyNode? Fail(string path, string problem)
    {
        _error = Format(path, problem);
        return null;
    }

    private PolicyNode[]? FailArray(string path, string problem)
    {
        _error = Format(path, problem);
        return null;
    }

    private ConditionSet? FailSet(string path, string problem)
    {
        _error = Format(path, problem);
        return null;
    }

    private FilterCondition? FailCondition(string path, string problem)
    {
        _error = Format(path, problem);
        return null;
    }
}
