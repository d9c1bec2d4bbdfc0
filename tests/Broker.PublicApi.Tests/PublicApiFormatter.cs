using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;

namespace Broker.PublicApi.Tests;

/// <summary>Writes an assembly's public surface as sorted text, one line per type and per member visible outside it
/// (public, protected, protected internal), so that any change to the surface shows as a line in a diff.</summary>
internal static class PublicApiFormatter
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    // Attributes that change what a caller may do with a member; the rest (docs, debugger, nullable metadata) are not surface.
    private static readonly string[] s_surfaceAttributes =
    [
        "System.ObsoleteAttribute",
        "System.Diagnostics.CodeAnalysis.ExperimentalAttribute",
        "System.Diagnostics.CodeAnalysis.RequiresUnreferencedCodeAttribute",
        "System.Diagnostics.CodeAnalysis.RequiresDynamicCodeAttribute",
        "System.Diagnostics.CodeAnalysis.DynamicallyAccessedMembersAttribute",
    ];

    public static string Format(Assembly assembly)
    {
        var text = new StringBuilder();
        foreach (Type type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            text.Append(TypeHeader(type)).Append('\n');
            foreach (string member in Members(type).Order(StringComparer.Ordinal))
            {
                text.Append("  ").Append(member).Append('\n');
            }
        }

        return text.ToString();
    }

    private static string TypeHeader(Type type)
    {
        string name = TypeName(type, null, qualified: true);
        string constraints = GenericConstraints(type.IsGenericTypeDefinition ? type.GetGenericArguments() : []);
        if (type.IsSubclassOf(typeof(Delegate)))
        {
            MethodInfo invoke = type.GetMethod("Invoke")!;
            return $"public delegate {TypeName(invoke.ReturnType, new NullabilityInfoContext().Create(invoke.ReturnParameter))} {name}({Parameters(invoke)}){constraints}";
        }

        if (type.IsEnum)
        {
            return $"public enum {name} : {TypeName(Enum.GetUnderlyingType(type), null)}";
        }

        string kind = type switch
        {
            { IsInterface: true } => "interface",
            { IsValueType: true } => (type.IsDefined(typeof(IsReadOnlyAttribute)) ? "readonly " : "") + (type.IsByRefLike ? "ref " : "") + "struct",
            { IsAbstract: true, IsSealed: true } => "static class",
            { IsAbstract: true } => "abstract class",
            { IsSealed: true } => "sealed class",
            _ => "class",
        };

        var bases = new List<string>();
        if (type.BaseType is { } baseType && baseType != typeof(object) && baseType != typeof(ValueType))
        {
            bases.Add(TypeName(baseType, null, qualified: true));
        }

        bases.AddRange(type.GetInterfaces().Select(i => TypeName(i, null, qualified: true)).Order(StringComparer.Ordinal));
        string visibility = type.IsNested && type.IsNestedFamily ? "protected" : "public";
        return $"{Attributes(type.GetCustomAttributesData())}{visibility} {kind} {name}{(bases.Count > 0 ? " : " + string.Join(", ", bases) : "")}{constraints}";
    }

    private static IEnumerable<string> Members(Type type)
    {
        if (type.IsSubclassOf(typeof(Delegate)))
        {
            yield break;
        }

        var nullability = new NullabilityInfoContext();
        if (type.IsEnum)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Static))
            {
                yield return $"{field.Name} = {Convert.ToString(field.GetRawConstantValue(), CultureInfo.InvariantCulture)}";
            }

            yield break;
        }

        foreach (MemberInfo member in type.GetMembers(Declared))
        {
            string? line = member switch
            {
                ConstructorInfo c when IsVisible(c) => $"{Attributes(c.GetCustomAttributesData())}{Visibility(c)}{(c.IsStatic ? "static " : "")}ctor({Parameters(c)})",
                MethodInfo m when IsVisible(m) && !IsAccessor(m) => Method(m, nullability),
                PropertyInfo p when p.GetMethod is { } g && IsVisible(g) || p.SetMethod is { } s && IsVisible(s) => Property(p, nullability),
                EventInfo e when e.AddMethod is { } add && IsVisible(add) => $"{Visibility(e.AddMethod)}{Modifiers(e.AddMethod)}event {TypeName(e.EventHandlerType!, nullability.Create(e))} {e.Name}",
                FieldInfo f when IsVisible(f) => Field(f, nullability),
                _ => null,
            };

            if (line is not null)
            {
                yield return line;
            }
        }
    }

    private static string Method(MethodInfo method, NullabilityInfoContext nullability)
    {
        string generics = method.IsGenericMethodDefinition
            ? "<" + string.Join(", ", method.GetGenericArguments().Select(a => Attributes(a.GetCustomAttributesData()) + a.Name)) + ">"
            : "";
        string constraints = method.IsGenericMethodDefinition ? GenericConstraints(method.GetGenericArguments()) : "";
        string returns = TypeName(method.ReturnType, nullability.Create(method.ReturnParameter));
        return $"{Attributes(method.GetCustomAttributesData())}{Visibility(method)}{Modifiers(method)}{returns} {method.Name}{generics}({Parameters(method)}){constraints}";
    }

    private static string Property(PropertyInfo property, NullabilityInfoContext nullability)
    {
        MethodInfo accessor = (property.GetMethod ?? property.SetMethod)!;
        var accessors = new StringBuilder();
        if (property.GetMethod is { } getter && IsVisible(getter))
        {
            accessors.Append(AccessorVisibility(getter, accessor)).Append("get; ");
        }

        if (property.SetMethod is { } setter && IsVisible(setter))
        {
            bool init = setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
            accessors.Append(AccessorVisibility(setter, accessor)).Append(init ? "init; " : "set; ");
        }

        ParameterInfo[] index = property.GetIndexParameters();
        string name = index.Length == 0 ? property.Name : $"this[{string.Join(", ", index.Select(p => Parameter(p, nullability)))}]";
        return $"{Attributes(property.GetCustomAttributesData())}{Visibility(accessor)}{Modifiers(accessor)}{TypeName(property.PropertyType, nullability.Create(property))} {name} {{ {accessors}}}";
    }

    private static string Field(FieldInfo field, NullabilityInfoContext nullability)
    {
        string modifiers = field.IsLiteral ? "const " : (field.IsStatic ? "static " : "") + (field.IsInitOnly ? "readonly " : "");
        string value = field.IsLiteral ? " = " + Literal(field.GetRawConstantValue()) : "";
        return $"{Attributes(field.GetCustomAttributesData())}{(field.IsFamily || field.IsFamilyOrAssembly ? "protected " : "public ")}{modifiers}{TypeName(field.FieldType, nullability.Create(field))} {field.Name}{value}";
    }

    private static string Parameters(MethodBase method)
    {
        var nullability = new NullabilityInfoContext();
        ParameterInfo[] parameters = method.GetParameters();
        bool extension = method.IsDefined(typeof(ExtensionAttribute));
        return string.Join(", ", parameters.Select((p, i) => (extension && i == 0 ? "this " : "") + Parameter(p, nullability)));
    }

    private static string Parameter(ParameterInfo parameter, NullabilityInfoContext nullability)
    {
        Type type = parameter.ParameterType;
        string prefix = "";
        if (type.IsByRef)
        {
            prefix = parameter.IsOut ? "out " : parameter.IsIn ? "in " : "ref ";
            type = type.GetElementType()!;
        }
        else if (parameter.IsDefined(typeof(ParamArrayAttribute)))
        {
            prefix = "params ";
        }

        string value = parameter.HasDefaultValue ? " = " + Literal(parameter.RawDefaultValue, Nullable.GetUnderlyingType(type) ?? type) : "";
        return $"{Attributes(parameter.GetCustomAttributesData())}{prefix}{TypeName(type, nullability.Create(parameter))} {parameter.Name}{value}";
    }

    private static string TypeName(Type type, NullabilityInfo? nullability, bool qualified = true)
    {
        if (type.IsGenericParameter)
        {
            // Reflection reports an unconstrained T as nullable whether or not it was written T?, so no mark is shown for it.
            return type.Name;
        }

        if (type.IsByRef)
        {
            return TypeName(type.GetElementType()!, nullability?.ElementType, qualified) + "&";
        }

        if (type.IsArray)
        {
            string rank = type.GetArrayRank() == 1 ? "[]" : "[" + new string(',', type.GetArrayRank() - 1) + "]";
            return TypeName(type.GetElementType()!, nullability?.ElementType, qualified) + rank + NullableMark(type, nullability);
        }

        if (type.IsPointer)
        {
            return TypeName(type.GetElementType()!, null, qualified) + "*";
        }

        if (Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return TypeName(underlying, nullability?.GenericTypeArguments.FirstOrDefault(), qualified) + "?";
        }

        string name = type.IsNested ? TypeName(type.DeclaringType!, null, qualified) + "." + type.Name : (qualified && type.Namespace is { } ns ? ns + "." : "") + type.Name;
        if (type.IsGenericType)
        {
            Type[] arguments = type.GetGenericArguments();
            int inherited = type.IsNested ? type.DeclaringType!.GetGenericArguments().Length : 0;
            Type[] own = arguments[inherited..];
            int tick = name.LastIndexOf('`');
            if (tick >= 0)
            {
                name = name[..tick];
            }

            if (own.Length > 0)
            {
                NullabilityInfo[] argumentNullability = nullability?.GenericTypeArguments ?? [];
                name += "<" + string.Join(", ", own.Select((a, i) => TypeName(a, argumentNullability.Length == arguments.Length ? argumentNullability[inherited + i] : null, qualified))) + ">";
            }
        }

        return name + NullableMark(type, nullability);
    }

    private static string NullableMark(Type type, NullabilityInfo? nullability) =>
        !type.IsValueType && nullability is { ReadState: NullabilityState.Nullable } or { ReadState: NullabilityState.Unknown, WriteState: NullabilityState.Nullable } ? "?" : "";

    private static string GenericConstraints(Type[] parameters)
    {
        var text = new StringBuilder();
        foreach (Type parameter in parameters)
        {
            var constraints = new List<string>();
            GenericParameterAttributes flags = parameter.GenericParameterAttributes;
            if (flags.HasFlag(GenericParameterAttributes.ReferenceTypeConstraint))
            {
                constraints.Add("class");
            }

            if (flags.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint))
            {
                constraints.Add("struct");
            }

            constraints.AddRange(parameter.GetGenericParameterConstraints().Where(c => c != typeof(ValueType)).Select(c => TypeName(c, null)).Order(StringComparer.Ordinal));
            if (flags.HasFlag(GenericParameterAttributes.DefaultConstructorConstraint) && !flags.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint))
            {
                constraints.Add("new()");
            }

            if (constraints.Count > 0)
            {
                text.Append(" where ").Append(parameter.Name).Append(" : ").Append(string.Join(", ", constraints));
            }
        }

        return text.ToString();
    }

    private static string Attributes(IList<CustomAttributeData> attributes)
    {
        var text = new StringBuilder();
        foreach (CustomAttributeData attribute in attributes.Where(a => s_surfaceAttributes.Contains(a.AttributeType.FullName)))
        {
            string arguments = string.Join(", ", attribute.ConstructorArguments.Select(a => Literal(a.Value, a.ArgumentType)));
            text.Append('[').Append(attribute.AttributeType.Name.Replace("Attribute", "", StringComparison.Ordinal)).Append(arguments.Length > 0 ? "(" + arguments + ")" : "").Append("] ");
        }

        return text.ToString();
    }

    private static string Literal(object? value, Type? type = null) => value switch
    {
        null => "null",
        string s => "\"" + s + "\"",
        bool b => b ? "true" : "false",
        char c => "'" + c + "'",
        _ when type is { IsEnum: true } => type.Name + "." + Enum.Format(type, value, "G").Replace(", ", " | " + type.Name + ".", StringComparison.Ordinal),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static bool IsVisible(MethodBase method) => method.IsPublic || method.IsFamily || method.IsFamilyOrAssembly;

    private static bool IsVisible(FieldInfo field) => field.IsPublic || field.IsFamily || field.IsFamilyOrAssembly;

    private static bool IsAccessor(MethodInfo method) =>
        method.IsSpecialName && (method.Name.StartsWith("get_", StringComparison.Ordinal) || method.Name.StartsWith("set_", StringComparison.Ordinal)
            || method.Name.StartsWith("add_", StringComparison.Ordinal) || method.Name.StartsWith("remove_", StringComparison.Ordinal));

    private static string Visibility(MethodBase method) => method.IsPublic ? "public " : "protected ";

    private static string AccessorVisibility(MethodInfo accessor, MethodInfo property) =>
        Visibility(accessor) == Visibility(property) ? "" : Visibility(accessor);

    private static string Modifiers(MethodInfo method)
    {
        if (method.IsStatic)
        {
            return method.IsAbstract ? "static abstract " : method.IsVirtual ? "static virtual " : "static ";
        }

        if (method.DeclaringType!.IsInterface)
        {
            return method.IsAbstract ? "" : "virtual ";
        }

        if (method.IsAbstract)
        {
            return "abstract ";
        }

        if (method.IsVirtual && method.GetBaseDefinition() != method)
        {
            return method.IsFinal ? "sealed override " : "override ";
        }

        return method.IsVirtual && !method.IsFinal ? "virtual " : "";
    }
}
