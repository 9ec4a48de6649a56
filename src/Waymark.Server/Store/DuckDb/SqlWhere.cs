using System.Globalization;
using System.Text;
using DuckDB.NET.Data;

namespace Waymark.Server.Store.DuckDb;

/// <summary>A WHERE clause and its parameters: every value goes in as a parameter; a null value adds nothing.</summary>
internal sealed class SqlWhere
{
    private readonly StringBuilder _sql = new("WHERE true");
    private readonly List<(string Name, object Value)> _parameters = [];

    public string Sql => _sql.ToString();

    public void Add(string clause, string name, object? value)
    {
        if (value is null)
        {
            return;
        }
        _sql.Append(" AND ").Append(clause);
        _parameters.Add((name, value));
    }

    /// <summary>A clause without parameters; never built from input.</summary>
    public void Raw(string clause) => _sql.Append(" AND ").Append(clause);

    /// <summary>column IN (values) OR column2 IN (values2): a customer's visitors or sessions.</summary>
    public void AnyOf(params (string Column, IReadOnlyCollection<string> Values)[] sets)
    {
        _sql.Append(" AND (false");
        var n = 0;
        foreach (var (column, values) in sets)
        {
            if (values.Count == 0)
            {
                continue;
            }
            _sql.Append(" OR ").Append(column).Append(" IN (");
            var first = true;
            foreach (var v in values)
            {
                var name = "p" + n++.ToString(CultureInfo.InvariantCulture);
                _sql.Append(first ? "$" : ", $").Append(name);
                _parameters.Add((name, v));
                first = false;
            }
            _sql.Append(')');
        }
        _sql.Append(')');
    }

    public void Bind(DuckDBCommand cmd)
    {
        foreach (var (name, value) in _parameters)
        {
            cmd.Parameters.Add(new DuckDBParameter(name, value));
        }
    }
}
