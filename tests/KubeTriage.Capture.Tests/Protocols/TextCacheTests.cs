using KubeTriage.Capture.Protocols;

namespace KubeTriage.Capture.Tests.Protocols;

public class TextCacheTests
{
    [Theory]
    [InlineData("select 1")]
    [InlineData("caf\u00e9.example.com")]
    [InlineData("")]
    public void RepeatedBytesReturnTheSameStringOnce(string text)
    {
        // Given
        var cache = new TextCache();
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);

        // When
        var first = cache.Get(bytes);
        var second = cache.Get(bytes.ToArray());

        // Then
        Assert.Equal(text, first);
        Assert.Same(first, second);
    }

    [Fact]
    public void CutTextEndsWithAnEllipsisAndIsCachedApartFromTheWholeText()
    {
        // Given
        var cache = new TextCache();

        // When
        var cut = cache.Get("select"u8, ellipsis: true);
        var whole = cache.Get("select"u8);
        var cutAgain = cache.Get("select"u8, ellipsis: true);

        // Then
        Assert.Equal("select\u2026", cut);
        Assert.Equal("select", whole);
        Assert.Same(cut, cutAgain);
    }

    [Fact]
    public void InvalidUtf8DecodesAsReplacementCharactersAndIsNotTakenForOtherBytes()
    {
        // Given: two invalid sequences of one length that decode to the same text.
        var cache = new TextCache();
        byte[] first = [0x61, 0xFF];
        byte[] second = [0x61, 0xFE];

        // When
        var a = cache.Get(first);
        var b = cache.Get(second);

        // Then
        Assert.Equal("a\uFFFD", a);
        Assert.Equal("a\uFFFD", b);
        Assert.Equal(0, cache.Hits);
    }

    [Fact]
    public void ManyTextsInASmallCacheEachComeBackAsThemselves()
    {
        // Given: far more texts than slots, so that slots are shared and replaced.
        var cache = new TextCache(slots: 16);
        var texts = Enumerable.Range(0, 200).Select(i => i % 3 == 0 ? $"SELECT {i}" : $"name-{i}.\u00e9xample").ToList();

        // When
        var first = texts.Select(t => cache.Get(System.Text.Encoding.UTF8.GetBytes(t))).ToList();
        var second = texts.Select(t => cache.Get(System.Text.Encoding.UTF8.GetBytes(t))).ToList();

        // Then
        Assert.Equal(texts, first);
        Assert.Equal(texts, second);
    }

    [Fact]
    public void StatementsAreCachedApartFromOtherTexts()
    {
        // Given
        var cache = new TextCache(slots: 16);
        var name = cache.Get("shop"u8);

        // When: many distinct statements go through the statement table.
        for (var i = 0; i < 100; i++)
        {
            cache.GetStatement(System.Text.Encoding.UTF8.GetBytes($"SELECT {i}"));
        }

        var statement = cache.GetStatement("SELECT 7"u8);
        var nameAgain = cache.Get("shop"u8);

        // Then: the name survived them.
        Assert.Equal("SELECT 7", statement);
        Assert.Same(name, nameAgain);
    }
}
