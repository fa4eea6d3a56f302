using System.Net;
using KubeTriage.Names;

namespace KubeTriage.Tests.Names;

public sealed class ExpectationsLoaderTests
{
    [Fact]
    public void LoadFileReadsTheContractExample()
    {
        // Given
        var path = NamesFixtures.Path("expect.valid.yaml");

        // When
        var expectations = ExpectationsLoader.LoadFile(path);

        // Then
        Assert.Equal(["example-api.com", "mysql", "oss.example.com"], expectations.Dependencies.Select(d => d.Name));
        Assert.Equal([2, 3, 5], expectations.Dependencies.Select(d => d.Line));
        var mysql = expectations.Dependencies[1];
        Assert.Equal(IPAddress.Parse("10.176.46.4"), mysql.AddressIp);
        Assert.Equal(3306, mysql.AddressPort);
        var oss = expectations.ForName("OSS.example.com.");
        Assert.NotNull(oss);
        Assert.Equal([IPNetwork.Parse("10.219.226.0/24")], oss.ResolvesTo);
        Assert.Equal(1000, expectations.SlowQueryMs);
        Assert.Equal(path, expectations.Source);
        Assert.Equal($"{path}:5", expectations.LocationOf(oss));
    }

    [Theory]
    [InlineData("10.219.226.2", false)]
    [InlineData("100.64.249.132", true)]
    [InlineData("2001:db8::1", true)]
    public void IsUnexpectedIsTrueOutsideTheRanges(string address, bool unexpected)
    {
        // Given
        var oss = ExpectationsLoader.LoadFile(NamesFixtures.Path("expect.valid.yaml")).ForName("oss.example.com")!;

        // When
        var result = oss.IsUnexpected(IPAddress.Parse(address));

        // Then
        Assert.Equal(unexpected, result);
    }

    [Fact]
    public void ANameWithoutRangesIsNeverUnexpected()
    {
        // Given
        var api = ExpectationsLoader.LoadFile(NamesFixtures.Path("expect.valid.yaml")).ForName("example-api.com")!;

        // When
        var result = api.IsUnexpected(IPAddress.Parse("203.0.113.9"));

        // Then
        Assert.False(result);
    }

    [Theory]
    [InlineData("expect.bad-cidr.yaml", "7: resolvesTo entry '10.0.0.0/33' is not an address or CIDR")]
    [InlineData("expect.bad-address.yaml", "3: address 'db.internal:3306' is not IP or IP:port")]
    [InlineData("expect.unknown-key.yaml", "4: unknown key 'retries' (known: dependencies, slowQueryMs)")]
    [InlineData("expect.unknown-dependency-key.yaml", "3: unknown dependency key 'resolvesto' (known: name, address, resolvesTo)")]
    [InlineData("expect.no-name.yaml", "3: a dependency has no 'name'")]
    [InlineData("expect.dependencies-not-a-list.yaml", "2: 'dependencies' must be a list")]
    [InlineData("expect.slow-query-not-a-number.yaml", "3: 'slowQueryMs' must be a whole number of milliseconds")]
    public void LoadFileNamesTheFileAndLineOfEachMistake(string file, string expected)
    {
        // Given
        var path = NamesFixtures.Path(file);

        // When
        var error = Assert.Throws<ExpectationsException>(() => ExpectationsLoader.LoadFile(path));

        // Then
        Assert.Equal($"{path}:{expected}", error.Message);
    }

    [Fact]
    public void LoadFileReportsBrokenYamlWithItsLine()
    {
        // Given
        var path = NamesFixtures.Path("expect.not-yaml.yaml");

        // When
        var error = Assert.Throws<ExpectationsException>(() => ExpectationsLoader.LoadFile(path));

        // Then
        Assert.StartsWith($"{path}:4: not valid YAML: ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void LoadFileReportsAMissingFileInOneLine()
    {
        // Given
        var path = NamesFixtures.Path("expect.does-not-exist.yaml");

        // When
        var error = Assert.Throws<ExpectationsException>(() => ExpectationsLoader.LoadFile(path));

        // Then
        Assert.StartsWith($"{path}: cannot read the expectations file: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeyThatIsNotAWordIsAMistakeNotACrash()
    {
        // Given
        const string yaml = "dependencies:\n  - ? [name]\n    : oss.example.com\n";

        // When
        var error = Assert.Throws<ExpectationsException>(() => ExpectationsLoader.Parse(yaml, "expect.yaml"));

        // Then
        Assert.StartsWith("expect.yaml:2: a key must be a plain word", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFileWithOnlyCommentsHasNoDependencies()
    {
        // Given
        var path = NamesFixtures.Path("expect.empty.yaml");

        // When
        var expectations = ExpectationsLoader.LoadFile(path);

        // Then
        Assert.Empty(expectations.Dependencies);
        Assert.Null(expectations.SlowQueryMs);
    }

    [Fact]
    public void ToYamlReadsBackToTheSameExpectations()
    {
        // Given
        var original = ExpectationsLoader.LoadFile(NamesFixtures.Path("expect.valid.yaml"));

        // When
        var again = ExpectationsLoader.Parse(original.ToYaml(), "drafted.yaml");

        // Then
        Assert.Equal(original.Dependencies.Select(d => (d.Name, d.Address, string.Join(",", d.ResolvesTo))),
            again.Dependencies.Select(d => (d.Name, d.Address, string.Join(",", d.ResolvesTo))));
        Assert.Equal(original.SlowQueryMs, again.SlowQueryMs);
    }
}
