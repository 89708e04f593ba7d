using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Testing;
using Tracker.Web.Tests.Infrastructure;

namespace Tracker.Web.Tests;

/// <summary>Input an outside tester sent that once answered 500: now each is a 400 (or 403, 405, 415) that changes nothing.</summary>
public sealed partial class HostileInputTests(AccessWorld world) : IClassFixture<AccessWorld>
{
    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<(HttpResponseMessage Response, bool Unchanged)> SendAsync(string who, Func<HttpClient, Task<HttpResponseMessage>> send)
    {
        var client = await world.Client(who);
        var before = await world.FingerprintAsync();
        var response = await send(client);
        return (response, before == await world.FingerprintAsync());
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("\u0001")]
    [InlineData("\u007F")]
    public async Task A_control_character_in_a_json_field_is_a_field_error_and_nothing_is_stored(string control)
    {
        var body = $$"""{"jurisdictionId":{{world.A.CountyId}},"year":2026,"title":"修{{control.Replace("\u0000", "\\u0000").Replace("\u0001", "\\u0001")}}路","description":"d"}""";
        var (response, unchanged) = await SendAsync("anonymous", c => c.PostAsync("/api/public/proposals", Json(body)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("title", (await world.ReadAsync<ValidationProblemDetails>(response)).Errors.Keys);
        Assert.True(unchanged);
    }

    [Theory]
    [InlineData("/api/initiatives?q=%00")]
    [InlineData("/api/departments?q=a%01b")]
    [InlineData("/api/public/proposals/AB%01CD")]
    public async Task A_control_character_in_a_query_or_path_value_is_a_400(string url)
    {
        var response = await (await world.Client("admin")).GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Tabs_and_line_breaks_are_text_like_any_other()
    {
        var body = $$"""{"jurisdictionId":{{world.A.CountyId}},"year":2026,"title":"修路\t二期","description":"第一行\r\n第二行"}""";
        var response = await (await world.Client("anonymous")).PostAsync("/api/public/proposals", Json(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task A_null_entry_in_a_list_is_a_field_error_for_who_may_act_and_a_403_for_who_may_not()
    {
        const string report = """{"phase":"Started","narrative":"进展","values":[null]}""";
        var (byLead, unchangedByLead) = await SendAsync("lead", c => c.PostAsync($"/api/initiatives/{world.ItemId}/reports", Json(report)));
        var (byDeputy, unchangedByDeputy) = await SendAsync("deputy", c => c.PostAsync($"/api/initiatives/{world.ItemId}/reports", Json(report)));
        var input = TestData.NewInitiative(world.A.CountyId, world.A.CountyDepartmentId, "NULLS");
        var created = System.Text.Json.JsonSerializer.Serialize(input, TrackerApp.Json);
        var (withNullTarget, unchangedByCreate) = await SendAsync("lead", c =>
            c.PostAsync("/api/initiatives", Json(TargetsRegex().Replace(created, "\"targets\":[null]"))));

        Assert.Equal(HttpStatusCode.BadRequest, byLead.StatusCode);
        Assert.Contains("Values", (await world.ReadAsync<ValidationProblemDetails>(byLead)).Errors.Keys);
        Assert.Equal(HttpStatusCode.Forbidden, byDeputy.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, withNullTarget.StatusCode);
        Assert.True(unchangedByLead && unchangedByDeputy && unchangedByCreate);
    }

    [Fact]
    public async Task A_publication_without_its_field_is_a_400_and_the_item_stays_published()
    {
        var (response, unchanged) = await SendAsync("supervisor", c => c.PostAsync($"/api/initiatives/{world.ItemId}/publication", Json("{}")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Published", (await world.ReadAsync<ValidationProblemDetails>(response)).Errors.Keys);
        Assert.True(unchanged);
    }

    [Theory]
    [InlineData("mismatched")]
    [InlineData("unclosed")]
    public async Task A_multipart_upload_with_a_wrong_or_missing_boundary_is_a_400_and_nothing_is_stored(string kind)
    {
        const string boundary = "tracker-boundary";
        var part = $"--{boundary}\r\nContent-Disposition: form-data; name=\"report\"\r\nContent-Type: application/json\r\n\r\n" +
            """{"phase":"Started","narrative":"进展"}""" + "\r\n";
        var body = kind == "mismatched" ? part.Replace($"--{boundary}", "--another-boundary") + "--another-boundary--\r\n" : part;
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse($"multipart/form-data; boundary={boundary}");

        foreach (var url in new[] { $"/api/initiatives/{world.ItemId}/reports", $"/api/initiatives/{world.ItemId}/inspections" })
        {
            var (response, unchanged) = await SendAsync(url.EndsWith("reports") ? "lead" : "deputy", c => c.PostAsync(url, content));
            Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden, $"{url}: {response.StatusCode}");
            Assert.True(unchanged);
        }
    }

    [Fact]
    public async Task The_job_dashboards_stats_read_any_other_way_than_its_form_post_is_a_405_not_a_500()
    {
        var response = await world.CreateClient().GetAsync("/hangfire/stats");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains("POST", response.Content.Headers.Allow.Concat(response.Headers.TryGetValues("Allow", out var allow) ? allow : []));
    }

    [Theory]
    [InlineData("\u0000")]
    [InlineData("\u0001")]
    public async Task A_page_form_with_a_control_character_is_refused_before_its_handler_runs(string control)
    {
        var client = world.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await client.GetStringAsync("/account/login");
        var token = TokenRegex().Match(page).Groups[1].Value;
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Email"] = $"official{control}@demo.tracker",
            ["Password"] = "whatever",
        });

        var response = await client.PostAsync("/account/login", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [GeneratedRegex("\"targets\":\\[[^\\]]*\\]")]
    private static partial Regex TargetsRegex();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();
}
