import CasebookKit
import CasebookTesting
import Postmortem
import Testing

/// The template engine both postmortem publishers share.
@Suite struct MustacheTests {
    let values: MustacheValue = [
        "title": "Checkout errors", "severity": ["name": "SEV1"],
        "roles": [["role_name": "Commander", "name": "Alice"], ["role_name": "Comms", "name": "Bob"]],
        "empty": [], "blank": "",
    ]

    @Test func fillsVariablesDottedNamesAndSections() throws {
        let template = try MustacheTemplate("{{title}} ({{severity.name}}){{#roles}} {{role_name}}={{name}}/{{title}}{{/roles}}{{missing}}")
        #expect(template.render(values, escaping: .markdown) == "Checkout errors (SEV1) Commander=Alice/Checkout errors Comms=Bob/Checkout errors")
    }

    @Test func invertedSectionsShowWhatIsEmptyOrMissing() throws {
        let template = try MustacheTemplate("{{^empty}}none{{/empty}}|{{^blank}}blank{{/blank}}|{{^missing}}missing{{/missing}}|{{^roles}}x{{/roles}}|{{#blank}}y{{/blank}}")
        #expect(template.render(values, escaping: .markdown) == "none|blank|missing||")
    }

    @Test func standaloneTagsTakeTheirLineWithThem() throws {
        let template = try MustacheTemplate("Roles:\n{{#roles}}\n- {{name}}\n{{/roles}}\n{{! a comment }}\n{{^empty}}\n(none)\n{{/empty}}\nEnd\n")
        #expect(template.render(values, escaping: .storageXHTML) == "Roles:\n- Alice\n- Bob\n(none)\nEnd\n")
    }

    @Test func syntaxErrorsNameTheLine() {
        #expect(throws: MustacheTemplate.SyntaxError(line: 2, message: "{{#roles}} is never closed with {{/roles}}")) {
            try MustacheTemplate("a\n{{#roles}}\nb")
        }
        #expect(throws: MustacheTemplate.SyntaxError(line: 3, message: "{{/b}} closes {{#a}} from line 1")) {
            try MustacheTemplate("{{#a}}\n\n{{/b}}")
        }
        #expect(throws: MustacheTemplate.SyntaxError.self) { try MustacheTemplate("{{{title}}}") }
        #expect(throws: MustacheTemplate.SyntaxError.self) { try MustacheTemplate("{{&title}}") }
        #expect(throws: MustacheTemplate.SyntaxError.self) { try MustacheTemplate("{{title") }
        #expect(throws: MustacheTemplate.SyntaxError.self) { try MustacheTemplate("{{> partial}}") }
    }

    @Test func storageXHTMLStaysWellFormedWhateverTheTitle() throws {
        let title = "Disk <full> & \"quoted\" ]]> 'x' \u{0007}bell"
        let template = try MustacheTemplate("<h1>{{title}}</h1><p><a href=\"{{url}}\">{{title}}</a></p>")
        let page = template.render(["title": .text(title), "url": "https://x.test/?a=1&b=<2>"], escaping: .storageXHTML)
        #expect(StorageFormat.problem(in: page) == nil, "\(page)")
        #expect(page.contains("Disk &lt;full&gt; &amp; &quot;quoted&quot; ]]&gt; &#39;x&#39; bell"))
        #expect(page.contains("href=\"https://x.test/?a=1&amp;b=&lt;2&gt;\""))
        // The check itself catches what escaping prevents.
        #expect(StorageFormat.problem(in: "<h1>\(title)</h1>") != nil)
        #expect(StorageFormat.problem(in: "<p>a & b</p>") != nil)
        #expect(StorageFormat.problem(in: "<p>]]></p>") != nil)
        #expect(StorageFormat.problem(in: "<p><b>x</p></b>") != nil)
        #expect(StorageFormat.problem(in: "<p>ok &nbsp; &#160; <ac:structured-macro ac:name=\"info\"/><![CDATA[ <raw> & ]]></p>") == nil)
    }

    @Test func markdownEscapesWhatMarkdownWouldInterpret() throws {
        let title = "*bold* _it_ [link](http://x) # `code` <b>&amp; | ~x~ 1. - + !"
        let template = try MustacheTemplate("# {{title}}\n[evidence]({{url}})")
        let text = template.render(["title": .text(title), "url": "https://slack.test/archives/C1/p1(2)"], escaping: .markdown)
        let expected = [
            ##"# \*bold\* \_it\_ \[link\]\(http://x\) \# \`code\` \<b\>\&amp; \| \~x\~ 1\. \- \+ \!"##,
            #"[evidence](https://slack\.test/archives/C1/p1\(2\))"#,
        ].joined(separator: "\n")
        #expect(text == expected)
    }
}
