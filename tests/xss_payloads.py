"""Hostile markup for the XSS tests: script tags, event handlers, `javascript:` and `data:` URLs,
SVG and MathML, CSS expressions, and broken nesting meant to confuse a sanitiser.

Every payload that would run calls `alert(...)`, so the browser test can catch it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

_HANDPICKED = [
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<script src=//evil.example/x.js></script>",
    "<script>alert(String.fromCharCode(88,83,83))</script>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "<<script>alert(1);//<</script>",
    "<script/xss>alert(1)</script>",
    '<script\x20type="text/javascript">alert(1);</script>',
    "<script\x0d>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "</textarea><script>alert(1)</script>",
    "--><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src=x onerror="alert(1)">',
    "<IMG SRC=x OnErRoR=alert(1)>",
    '<img src="x" onerror=alert`1`>',
    "<img src=x:alert(1) onerror=eval(src)>",
    '<img """><script>alert(1)</script>">',
    "<img src=javascript:alert(1)>",
    "<img src=JaVaScRiPt:alert(1)>",
    "<img src=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)>",
    '<img src="jav\tascript:alert(1);">',
    '<img src="jav&#x09;ascript:alert(1);">',
    '<img src=" &#14;  javascript:alert(1);">',
    '<img dynsrc="javascript:alert(1)">',
    '<img lowsrc="javascript:alert(1)">',
    "<img src=data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+>",
    "<image src=x onerror=alert(1)>",
    "<body onload=alert(1)>",
    '<body background="javascript:alert(1)">',
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><a xlink:href="javascript:alert(1)"><text x=20 y=20>XSS</text></a></svg>',
    (
        "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
        "<image href='1' onerror='alert(1)'/></svg>#x\"/></svg>"
    ),
    (
        '<svg><foreignObject><iframe srcdoc="<script>alert(1)</script>"></iframe>'
        "</foreignObject></svg>"
    ),
    (
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style>"
        "</mglyph></table></mtext></math>"
    ),
    '<math href="javascript:alert(1)">CLICK</math>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "<iframe src=data:text/html,<script>alert(1)</script>></iframe>",
    '<object data="javascript:alert(1)"></object>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    '<embed src="javascript:alert(1)">',
    '<embed src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JAVASCRIPT:alert(1)">click</a>',
    '<a href=" javascript:alert(1)">click</a>',
    '<a href="java\nscript:alert(1)">click</a>',
    '<a href="&#x6A;avascript:alert(1)">click</a>',
    '<a href="javascript&colon;alert(1)">click</a>',
    '<a href="vbscript:alert(1)">click</a>',
    '<a href="data:text/html,<script>alert(1)</script>">click</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">click</a>',
    "<a href=x onmouseover=alert(1)>hover</a>",
    '<a href="#" onclick="alert(1)">click</a>',
    '<a/href="javascript:alert(1)">click</a>',
    "<p onclick=alert(1)>para</p>",
    "<div onmouseenter=alert(1)>div</div>",
    "<span onpointerover=alert(1)>span</span>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<video poster=javascript:alert(1)//></video>",
    "<input onfocus=alert(1) autofocus>",
    "<input type=image src=x onerror=alert(1)>",
    "<select autofocus onfocus=alert(1)>",
    "<textarea autofocus onfocus=alert(1)>",
    "<keygen autofocus onfocus=alert(1)>",
    "<button formaction=javascript:alert(1)>go</button>",
    "<form action=javascript:alert(1)><input type=submit></form>",
    '<form><button formaction="javascript:alert(1)">X</button></form>',
    "<isindex action=javascript:alert(1) type=image>",
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    '<td background="javascript:alert(1)">',
    '<div style="background-image: url(javascript:alert(1))">',
    '<div style="width: expression(alert(1));">',
    '<p style="x:expression(alert(1))">css</p>',
    "<style>@import 'javascript:alert(1)';</style>",
    '<style>body{background:url("javascript:alert(1)")}</style>',
    "<style>*{x:expression(alert(1))}</style>",
    '<link rel=stylesheet href="javascript:alert(1)">',
    '<link rel=import href="data:text/html,<script>alert(1)</script>">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1);">',
    (
        '<meta http-equiv="refresh" '
        'content="0;url=data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg">'
    ),
    '<base href="javascript:alert(1)//">',
    '<bgsound src="javascript:alert(1);">',
    '<xss style="behavior: url(xss.htc);">',
    '<div style="-moz-binding:url(http://evil.example/xss.xml#xss)">',
    "<xml><i><b>&lt;img src=1 onerror=alert(1)&gt;</b></i></xml>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<p title="</p><img src=x onerror=alert(1)>">',
    "<b <script>alert(1)</script>0",
    "<b><i>broken <a href=javascript:alert(1)>nesting</b></i></a>",
    "<table><td><script>alert(1)</script></td></table>",
    "<ul><li><img src=x onerror=alert(1)</li></ul>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "<![CDATA[<script>alert(1)</script>]]>",
    "<? echo('<script>alert(1)</script>'); ?>",
    "<template><img src=x onerror=alert(1)></template>",
    "<frameset onload=alert(1)>",
    '<object type="text/x-scriptlet" data="http://evil.example/xss.html"></object>',
    '<applet code="javascript:alert(1)"></applet>',
    "<x onclick=alert(1)>click</x>",
    "<img src=`x`onerror=alert(1)>",
    "<img src='x' onerror='alert(1)'//",
    "<svg><set attributeName=onload to=alert(1) />",
    '<a href="javas&#99;ript:alert(1)">entity</a>',
    (
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
        '&#0000112&#0000116&#0000058alert(1)">long entities</a>'
    ),
    "javascript:alert(1)",
    '" onmouseover="alert(1)',
    "' onmouseover='alert(1)",
    "{{ 7*7 }}<script>alert(1)</script>",
    "<img src=x onerror=&#x61;&#x6C;&#x65;&#x72;&#x74;(1)>",
    '<a href="\\x01javascript:alert(1)">ctrl</a>',
    "<div><p>unclosed <img src=x onerror=alert(1)",
    "<sCrIpT>alert(1)</ScRiPt>",
    "<math><maction actiontype=statusline xlink:href=javascript:alert(1)>click</maction></math>",
]

# Ours, written for issue 17 (whose probe sent 196): what a hostile import or a patient
# attacker would try beyond the classics above, some 125 more. Each runs alert() if any of it
# survives the sanitiser.
_MUTATIONS = [
    # Parser differentials (mXSS): markup that means one thing to a sanitiser's parser and
    # another to the browser's once it is serialised and parsed again.
    "<noscript><style></noscript><img src=x onerror=alert(1)></style></noscript>",
    "<template><img src=x onerror=alert(1)></template>",
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    '<math><mi><mglyph><svg><mtext><textarea><path id="</textarea><img onerror=alert(1) src=1>">',
    "<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
    '<svg><p><style><g title="</style><img src=x onerror=alert(1)>">',
    "<table><td><svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg></td>",
    '<xmp><p title="</xmp><img src=x onerror=alert(1)>">',
    "<listing><img src=x onerror=alert(1)></listing>",
    "<plaintext><img src=x onerror=alert(1)>",
    "<title><img src=x onerror=alert(1)></title>",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<iframe><img src=x onerror=alert(1)></iframe>",
    "<noembed><img src=x onerror=alert(1)></noembed>",
    "<noframes><img src=x onerror=alert(1)></noframes>",
    "<select><template><img src=x onerror=alert(1)></template></select>",
    "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>",
    "<![CDATA[<img src=x onerror=alert(1)>]]>",
    '<?xml-stylesheet href="javascript:alert(1)"?><p>pi</p>',
    "<!--><img src=x onerror=alert(1)>-->",
    "<!---><img src=x onerror=alert(1)>-->",
    "<!-- --!><img src=x onerror=alert(1)>-->",
    "<p><!--<p title='--><img src=x onerror=alert(1)>'>",
    '<a title="a\nb" href="javascript:alert(1)">multi-line attribute</a>',
    "<p/onmouseover=alert(1)>slash-separated</p>",
    "<p\x0conmouseover=alert(1)>form-feed separated</p>",
    "<img/src=x/onerror=alert(1)>",
    "<img src=x onerror\x0b=alert(1)>",
    "<img src=x oNeRrOr=alert`1`>",
    "<img src=x onerror=&#97;lert(1)>",
    '<img src=x onerror="&#x61;&#x6c;&#x65;&#x72;&#x74;(1)">',
    "<img src=x onerror=eval(atob('YWxlcnQoMSk='))>",
    "<img src=x onerror=window['al'+'ert'](1)>",
    "<img src=x onerror=top[/al/.source+/ert/.source](1)>",
    "<img src=x onerror=alert(1)//",
    "<img src=x:alert(1) onerror=eval(src)>",
    '<img srcset="x 1x" onerror=alert(1)>',
    "<picture><source srcset=x onerror=alert(1)><img src=x></picture>",
    "<image src=x onerror=alert(1)>",
    "<img src=`x` onerror=alert(1)>",
    "<img src='x'onerror='alert(1)'>",
    '<img """><img src=x onerror=alert(1)>',
    # Links: schemes hidden by entities, case, whitespace and encodings.
    '<a href="javascript&#58;alert(1)">colon entity</a>',
    '<a href="javascript&#x3A;alert(1)">hex colon</a>',
    '<a href="jav&#x0A;ascript:alert(1)">newline entity</a>',
    '<a href="jav&#x0D;ascript:alert(1)">return entity</a>',
    '<a href="&#1;javascript:alert(1)">leading control</a>',
    '<a href="\x00javascript:alert(1)">leading nul</a>',
    '<a href="javascript\x00:alert(1)">inner nul</a>',
    '<a href="javascript:%61lert(1)">percent-encoded body</a>',
    '<a href="%6Aavascript:alert(1)">percent-encoded scheme</a>',
    '<a href="&Tab;javascript:alert(1)">named tab</a>',
    '<a href="javascript&NewLine;:alert(1)">named newline</a>',
    '<a href="  JaVaScRiPt :alert(1)">spaced scheme</a>',
    '<a href="javascript://%0Aalert(1)">comment then newline</a>',
    '<a href="javascript://example.org/%0Aalert(1)">looks like a host</a>',
    '<a href="data:text/html;charset=utf-8,%3Cscript%3Ealert(1)%3C/script%3E">data</a>',
    '<a href="data:image/svg+xml,<svg onload=alert(1)>">svg data</a>',
    '<a href="DATA:text/html,<script>alert(1)</script>">upper data</a>',
    '<a href="blob:https://evil.example/x">blob</a>',
    '<a href="filesystem:https://evil.example/x">filesystem</a>',
    '<a href="livescript:alert(1)">livescript</a>',
    '<a href="mocha:alert(1)">mocha</a>',
    '<a href="x-javascript:alert(1)">x-javascript</a>',
    '<a href="javascript:alert(1)" target=_blank>new tab</a>',
    '<a xlink:href="javascript:alert(1)">xlink in html</a>',
    "<a href=javascript:alert(1) rel=noopener>unquoted</a>",
    '<img src="javascript:alert(1)">',
    '<img src="vbscript:msgbox(1)">',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<q cite="javascript:alert(1)">cite</q>',
    '<blockquote cite="javascript:alert(1)">cite</blockquote>',
    '<del cite="javascript:alert(1)">del</del>',
    '<ins cite="javascript:alert(1)">ins</ins>',
    '<area href="javascript:alert(1)" shape=default>',
    '<div poster="javascript:alert(1)">poster</div>',
    # Styles and attributes that run code in some browser.
    "<p style=\"background:url('javascript:alert(1)')\">bg</p>",
    '<p style="behavior:url(#default#time2)" onbegin=alert(1)>htc</p>',
    '<p style="animation-name:x" onanimationstart=alert(1)>anim</p>',
    '<style>@keyframes x{}</style><p style="animation-name:x" onanimationend=alert(1)>k</p>',
    '<p style="transition:all 1s" ontransitionend=alert(1)>tr</p>',
    "<style>@import 'javascript:alert(1)';</style>",
    "<style>*{x:expression(alert(1))}</style>",
    '<p style="x:\\65xpression(alert(1))">escaped expression</p>',
    "<p style=\"font-family:'</style><script>alert(1)</script>'\">font</p>",
    '<span class="x" onpointerenter=alert(1)>pointer</span>',
    "<span onwheel=alert(1)>wheel</span>",
    "<span oncopy=alert(1)>copy</span>",
    "<span oncontextmenu=alert(1)>menu</span>",
    "<div onfocus=alert(1) tabindex=1 id=x>focus</div>",
    "<div contenteditable onfocus=alert(1) autofocus>editable</div>",
    "<details open ontoggle=alert(1)><summary>toggle</summary></details>",
    "<summary onclick=alert(1)>summary</summary>",
    "<ruby onmouseover=alert(1)>r<rt>t</rt></ruby>",
    "<table onmouseover=alert(1)><tr><td>t</td></tr></table>",
    "<ol onmouseover=alert(1) start=1><li>l</li></ol>",
    '<abbr title="x" onmouseover=alert(1)>abbr</abbr>',
    "<img src=x id=a name=alert onerror=this.name(1)>",
    "<a id=x tabindex=1 onfocusin=alert(1)>focusin</a>",
    # Elements that load or run things.
    "<video><source onerror=alert(1)></video>",
    "<audio src=x onerror=alert(1)>",
    "<video poster=javascript:alert(1)>",
    "<body onload=alert(1)>",
    "<body onpageshow=alert(1)>",
    "<frameset onload=alert(1)>",
    "<marquee onstart=alert(1)>m</marquee>",
    "<input autofocus onfocus=alert(1)>",
    "<select autofocus onfocus=alert(1)></select>",
    "<textarea autofocus onfocus=alert(1)></textarea>",
    "<keygen autofocus onfocus=alert(1)>",
    "<button form=x formaction=javascript:alert(1)>go</button>",
    "<form action=javascript:alert(1)><input type=submit></form>",
    "<isindex action=javascript:alert(1) type=image>",
    '<object data="data:text/html,<script>alert(1)</script>"></object>',
    '<embed src="data:text/html,<script>alert(1)</script>">',
    '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    '<iframe srcdoc="&lt;img src=x onerror=alert(1)&gt;"></iframe>',
    '<portal src="javascript:alert(1)"></portal>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "<svg><set attributeName=onmouseover to=alert(1)>",
    "<svg><animate attributeName=href values=javascript:alert(1) /><a><text>x</text></a></svg>",
    "<svg><script href=data:,alert(1) />",
    "<svg><discard onbegin=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg/onload=alert(1)//",
    "<math><a xlink:href=javascript:alert(1)>math link</a></math>",
    "<script type=module>alert(1)</script>",
    "<script>/*</script><img src=x onerror=alert(1)>*/</script>",
    "<scr\x00ipt>alert(1)</scr\x00ipt>",
    '<meta http-equiv="Content-Security-Policy" content="script-src \'unsafe-inline\'">',
    '<base href="//evil.example/"><script src=x.js></script>',
    '<link rel=prefetch href="//evil.example/">',
    "<img src=x onerror=\"import('data:text/javascript,alert(1)')\">",
    "<p>\u202e<img src=x onerror=alert(1)></p>",
    "<p>\ufeff<img src=x onerror=alert(1)></p>",
    "<p>\u2028<img src=x onerror=alert(1)></p>",
    "\x01<img src=x onerror=alert(1)>",
    "%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E<img src=x onerror=alert(1)>",
    "&lt;img src=x onerror=alert(1)&gt;<img src=x onerror=alert(1)>",
]

MARKDOWN = [
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "![img](javascript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<script>alert(1)</script>\n\n*text*",
    "[a](<javascript:alert(1)>)",
    "<img src=x onerror=alert(1)>",
    "[ref]\n\n[ref]: javascript:alert(1)",
]

PAYLOADS = list(dict.fromkeys(_HANDPICKED + _MUTATIONS))
assert len(PAYLOADS) >= 200, len(PAYLOADS)

_BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|livescript):", re.I)  # as browsers read it
_URL_ATTRS = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "background",
    "poster",
    "dynsrc",
    "lowsrc",
    "data",
    "code",
    "srcdoc",
}
_BANNED_TAGS = {
    "script",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "style",
    "base",
    "meta",
    "frameset",
    "frame",
    "applet",
    "form",
    "input",
    "button",
    "select",
    "textarea",
    "link",
    "template",
    "marquee",
    "bgsound",
    "xml",
    "isindex",
    "keygen",
    "video",
    "audio",
    "source",
}
# Markup of our own pages that the checks would otherwise flag.
OUR_INLINE_SCRIPT = 'try{var s=localStorage.getItem("fabula:text-scale")'


def _as_browser_reads(url: str) -> str:
    """A URL as the WHATWG URL parser reads it: control characters and spaces stripped from
    both ends, tabs and line breaks removed everywhere (a space inside is kept, and ends the
    scheme: "javascript :x" is a relative address)."""
    return re.sub(r"[\t\n\r]", "", url.strip("".join(map(chr, range(0x21)))))


class _Finder(HTMLParser):
    def __init__(self, allow_page_chrome: bool):
        super().__init__(convert_charrefs=True)
        self.allow = allow_page_chrome
        self.problems: list[str] = []
        self._in_script = self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in _BANNED_TAGS and not self._ours(tag, attributes):
            self.problems.append(f"<{tag}> {attributes}")
        if tag == "script" and "src" not in attributes:
            self._in_script = True
        if tag == "style":
            self._in_style = True
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name in _URL_ATTRS and _BAD_SCHEME.match(_as_browser_reads(value)):
                self.problems.append(f"<{tag} {name}={value!r}>")
            if name == "style" and re.search(
                r"expression|javascript|url\(|behavior|binding", value, re.I
            ):
                self.problems.append(f"<{tag} style={value!r}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style and re.search(
            r"expression|javascript|alert|import|binding|behavior", data, re.I
        ):
            self.problems.append(f"style sheet {data[:60]!r}")
        if self._in_script and not data.strip().startswith(OUR_INLINE_SCRIPT):
            self.problems.append(f"inline script {data[:60]!r}")

    def _ours(self, tag, attributes) -> bool:
        if not self.allow:
            return False
        if tag == "script":
            return attributes.get("src", "").startswith("/static/") or "src" not in attributes
        if tag == "link":
            href = attributes.get("href", "")
            return href.startswith("/") and not href.startswith("//")
        if tag == "style":  # our pages' own style sheets; their text is checked
            return True
        if tag == "meta":
            return "http-equiv" not in attributes
        if tag in ("form", "input", "button", "select", "textarea"):
            action = attributes.get("action", attributes.get("formaction", ""))
            return action == "" or (action.startswith("/") and not action.startswith("//"))
        return False


def problems_in(html: str, *, page: bool = True) -> list[str]:
    """What in this HTML could run script. `page`: a whole page of ours (our own scripts,
    stylesheet and forms are expected there); otherwise a stored fragment, where none is."""
    finder = _Finder(allow_page_chrome=page)
    finder.feed(html)
    finder.close()
    return finder.problems
