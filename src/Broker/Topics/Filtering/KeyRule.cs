namespace Broker.Topics.Filtering;

/// <summary>One key of a policy object: either a value array (<see cref="Conditions"/>) or, in body policies, a nested object (<see cref="Nested"/>).</summary>
internal sealed class KeyRule
{
    public KeyRule(string name, ConditionSet conditions)
    {
        Name = name;
        Conditions = conditions;
    }

    public KeyRule(string name, PolicyNode nested)
    {
        Name = name;
        Nested = nested;
    }

    public string Name { get; }

    public ConditionSet? Conditions { get; }

    public PolicyNode? Nested { get; }
}
