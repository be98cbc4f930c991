// Field HTML: escaping exactly once, cloze-safe deletions, highlighted code, cross references.
#include <catch2/catch.hpp>

#include <regex>

#include "anki/card_html.hpp"
#include "anki_fixture.hpp"

using anki_fixture::cloze;
using anki_fixture::paragraph;
using anki_fixture::run;

namespace {

struct Deletion {
  int number = 0;
  std::string body;
  std::string hint;
};

// Anki 2.1's cloze regex, applied textually to the field as Anki does.
std::vector<Deletion> anki_deletions(const std::string& field) {
  static const std::regex cloze_regex(R"(\{\{c(\d+)::([\s\S]*?)(::([\s\S]*?))?\}\})");
  std::vector<Deletion> found;
  for (auto it = std::sregex_iterator(field.begin(), field.end(), cloze_regex);
       it != std::sregex_iterator(); ++it) {
    found.push_back({std::stoi((*it)[1].str()), (*it)[2].str(), (*it)[4].str()});
  }
  return found;
}

const anki::HtmlContext plain_context{};

// What Anki's editor stores after an edit: it reads the field back through innerHTML, which
// writes numeric character references as the characters they stand for.
std::string after_editor_round_trip(const std::string& html) {
  static const std::regex reference("&#(\\d+);");
  std::string out;
  std::size_t pos = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), reference);
       it != std::sregex_iterator(); ++it) {
    out += html.substr(pos, static_cast<std::size_t>(it->position()) - pos);
    out += static_cast<char>(std::stoi((*it)[1].str()));
    pos = static_cast<std::size_t>(it->position() + it->length());
  }
  return out + html.substr(pos);
}

}  // namespace

TEST_CASE("prose is escaped exactly once", "[anki]") {
  const model::Body body = paragraph({run("Take "), run("&mut Vec<T>", model::style_code),
                                      run(" -> <'a> & \"x\""), run(" bold", model::style_bold)});
  CHECK(anki::body_html(body, plain_context) ==
        "Take <code>&amp;mut Vec&lt;T&gt;</code> -&gt; &lt;'a&gt; &amp; &quot;x&quot;<b> "
        "bold</b>");
  // Already-unescaped model text such as "&amp;" stays visible literally.
  CHECK(anki::body_html(anki_fixture::text("&amp;"), plain_context) == "&amp;amp;");
}

TEST_CASE("control characters never reach a field: 0x1f would split the note's fields",
          "[anki][escaping]") {
  CHECK(anki::escape_field_text("a\x1f"
                                "b\x1b[2J\x01|\t\n") == "a&#xfffd;b&#xfffd;&#91;2J&#xfffd;|\t\n");
  CHECK(anki::escape_field_code("x\x1fy") == "x&#xfffd;y");
}

TEST_CASE("template, sound and MathJax syntax in prose is neutralised", "[anki]") {
  const std::string html =
      anki::body_html(anki_fixture::text("{{Back}} [sound:x.mp3] \\(x\\) \\[y\\]"), plain_context);
  CHECK(html == "&#123;&#123;Back&#125;&#125; &#91;sound:x.mp3] &#92;(x&#92;) &#92;&#91;y&#92;]");
  CHECK(html.find("{{") == std::string::npos);
  CHECK(anki::strip_html_media(html) == "{{Back}} [sound:x.mp3] \\(x\\) \\[y\\]");
}

TEST_CASE("Rust paths inside a deletion stay whole for Anki's cloze parser", "[anki]") {
  const model::Body body =
      paragraph({run("Use "), cloze(1, "std::mem::swap", model::style_code), run(" now.")});
  const std::string html = anki::cloze_html(body, plain_context);
  const std::string colon = "<span class=\"cz\">:</span>";
  CHECK(html ==
        "Use {{c1::<code>std" + colon + colon + "mem" + colon + colon + "swap</code>}} now.");
  const auto deletions = anki_deletions(after_editor_round_trip(html));
  REQUIRE(deletions.size() == 1);
  CHECK(deletions[0].number == 1);
  CHECK(deletions[0].hint.empty());
  CHECK(anki::strip_html_media(deletions[0].body) == "std::mem::swap");
}

TEST_CASE("braces in a deletion cannot close it early, hints survive", "[anki]") {
  const model::Body body =
      paragraph({cloze(2, "format!(\"{{}}\")", model::style_code, " a macro: prints {} "),
                 run(" and "), cloze(3, "x}}y")});
  const std::string html = anki::cloze_html(body, plain_context);
  const auto deletions = anki_deletions(after_editor_round_trip(html));
  REQUIRE(deletions.size() == 2);
  CHECK(deletions[0].number == 2);
  CHECK(anki::strip_html_media(deletions[0].body) == "format!(\"{{}}\")");
  CHECK(anki::strip_html_media(deletions[0].hint) == "a macro: prints {}");
  CHECK(deletions[1].number == 3);
  CHECK(anki::strip_html_media(deletions[1].body) == "x}}y");
}

TEST_CASE("style tags never cross a deletion boundary", "[anki]") {
  const model::Body body =
      paragraph({run("a ", model::style_bold), cloze(1, "b", model::style_bold),
                 run(" c", model::style_bold)});
  CHECK(anki::cloze_html(body, plain_context) == "<b>a </b>{{c1::<b>b</b>}}<b> c</b>");
  // Outside cloze rendering, runs merge and cloze numbers are ignored.
  CHECK(anki::body_html(body, plain_context) == "<b>a b c</b>");
}

TEST_CASE("cross references show their text, never a page; links keep their target", "[anki]") {
  const model::Body body =
      paragraph({run("See "), run("Lifetimes", model::style_plain, "#lifetimes"), run(", "),
                 run("elision", model::style_italic, "#lifetimes/elision"), run(" and "),
                 run("the book", model::style_plain, "https://doc.rust-lang.org/book/?a=1&b=2")});
  CHECK(anki::body_html(body, plain_context) ==
        "See <span class=\"xref\">Lifetimes</span>, <span class=\"xref\"><i>elision</i></span> "
        "and <a href=\"https://doc.rust-lang.org/book/?a=1&amp;b=2\">the book</a>");
}

TEST_CASE("a link in a deletion keeps its URL's colon; the text's colons are separated", "[anki]") {
  const model::Body body =
      paragraph({run("see "), run("a::b", model::style_plain, "https://x.org/", 1)});
  CHECK(anki::cloze_html(body, plain_context) ==
        "see {{c1::<a href=\"https://x.org/\">a<span class=\"cz\">:</span><span "
        "class=\"cz\">:</span>b</a>}}");
}

TEST_CASE("blocks: paragraphs, lists, quotes, output, images", "[anki]") {
  model::List list;
  list.ordered = true;
  list.start = 3;
  list.tight = true;
  list.items.push_back({{anki_fixture::paragraph_block({run("one")})}});
  list.items.push_back({{anki_fixture::paragraph_block({run("two")}),
                         anki_fixture::paragraph_block({run("more")})}});
  model::Block list_block;
  list_block.node = list;
  model::Block output;
  output.node = model::OutputBlock{{"hi <there>", "\tx"}};
  model::Block quote;
  quote.node = model::Quote{{anki_fixture::paragraph_block({run("quoted")})}};
  const model::Body body = {anki_fixture::paragraph_block({run("Intro")}), list_block, output,
                            quote, anki_fixture::image_block("images/a b.png", "A <b>")};
  const std::map<std::string, std::string> media = {{"images/a b.png", "a-b-0123456789.png"}};
  CHECK(anki::body_html(body, {&media}) ==
        "<p>Intro</p><ol start=\"3\"><li>one</li><li>two<br>more</li></ol>"
        "<pre class=\"output\"><code>hi &lt;there&gt;\n    x</code></pre>"
        "<blockquote><p>quoted</p></blockquote>"
        "<img src=\"a-b-0123456789.png\" alt=\"A &lt;b&gt;\">");
  // Without a media map (deck descriptions) an image becomes its alt text.
  CHECK(anki::body_html({anki_fixture::image_block("images/x.png", "X")}, plain_context) ==
        "<p>X</p>");
}

TEST_CASE("Rust code is highlighted into hl-* spans with real newlines", "[anki]") {
  const model::CodeBlock code =
      anki_fixture::rust_code({"let v: Vec<u8> = vec![];", "println!(\"{}}}\"); // }} & done"});
  const std::string html = anki::code_block_html(code);
  CHECK(html.starts_with("<pre><code class=\"lang-rust\">"));
  CHECK(html.ends_with("</code></pre>"));
  CHECK(html.find("<span class=\"hl-keyword\">let</span>") != std::string::npos);
  CHECK(html.find("<span class=\"hl-comment\">") != std::string::npos);
  CHECK(html.find('\n') != std::string::npos);
  CHECK(html.find("<br>") == std::string::npos);
  CHECK(html.find('}') == std::string::npos);
  CHECK(html.find("&lt;") != std::string::npos);
  CHECK(html.find("<u8") == std::string::npos);
  CHECK(anki::strip_html_media(html) ==
        "let v: Vec<u8> = vec![];\nprintln!(\"{}}}\"); // }} & done");
}

TEST_CASE("plain text is escaped but not highlighted", "[anki]") {
  model::CodeBlock toml;
  toml.language = "text";
  toml.lines = {"[dependencies]", "\tserde = { version = \"1\" }"};
  CHECK(anki::code_block_html(toml) ==
        "<pre><code class=\"lang-text\"><span class=\"ln\"><span class=\"ind\"></span><span "
        "class=\"tx\">&#91;dependencies]\n</span></span><span class=\"ln\"><span "
        "class=\"ind\">    </span><span class=\"tx\">serde = &#123; version = &quot;1&quot; "
        "&#125;</span></span></code></pre>");
}

TEST_CASE("each code line is indentation, then text: phones hang wrapped text under it", "[anki]") {
  const model::CodeBlock code =
      anki_fixture::rust_code({"fn main() {", "    let x = 1; // one", "", "}"});
  const std::string html = anki::code_block_html(code);
  CHECK(html.find("<span class=\"ln\"><span class=\"ind\">    </span><span class=\"tx\"><span "
                  "class=\"hl-keyword\">let</span>") != std::string::npos);
  CHECK(html.find("<span class=\"ln\"><span class=\"ind\"></span><span class=\"tx\">\n</span>"
                  "</span>") != std::string::npos);  // the empty line
  CHECK(anki::strip_html_media(html) == "fn main() {\n    let x = 1; // one\n\n}");
}

TEST_CASE("strip_html_media follows Anki's stripHTMLMedia", "[anki]") {
  CHECK(anki::strip_html_media(
            "<b>a</b> &amp; <img src=\"x.png\" alt=\"y\">&#123;&nbsp;&lt;&#x41;") ==
        "a &  x.png { <A");
  CHECK(anki::strip_html_media("x<!-- c -->y<style>p{}</style>z<script>q</script>") == "xyz");
  CHECK(anki::strip_html_media("x<STYLE>p{}</Style>y<sCrIpT>q</SCRIPT>z<IMG SRC=\"b.png\">") ==
        "xyz b.png ");
  CHECK(anki::strip_html_media("a<b>-->c") == "a-->c");  // a close without its open stays
  CHECK(anki::strip_html_media("&unknown; &#;") == "&unknown; &#;");
  CHECK(anki::strip_html_media("caf&#233;") == "café");
  CHECK(anki::is_blank_field("<div> <br></div>&nbsp;"));
  CHECK_FALSE(anki::is_blank_field("<img src=\"a.png\">"));
}
