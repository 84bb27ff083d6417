// mailcomments.js: mailcomments' comment section for Eleventy, from the
// data file mailcomments writes with render.generator = "jekyll" and
// render.generator_directory the Eleventy input directory
// (_data/comments/KEY.json, KEY the slug with "/" written "_": global
// data `comments[KEY]`).  The same accessible, script-free markup as
// mailcomments' own section, in the article's language: every word comes
// from the data file.  Every text is escaped here; `html` is the body
// mailcomments made safe.
//
// .eleventy.js:
//   const mailcomments = require("./mailcomments.js");
//   module.exports = (config) => { mailcomments(config); };
// a template (Nunjucks or Liquid):
//   {% mailcomments comments["2024_velo"] %}
//   {% mailcommentsCount comments["2024_velo"] %}
"use strict";

const ESC = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const esc = (s) => String(s == null ? "" : s).replace(/[&<>"']/g, (c) => ESC[c]);

function comment(c, s) {
  const out = [];
  out.push(`<article class="mc-comment${c.moderator ? " mc-moderator" : ""}" id="${esc(c.anchor)}">`);
  out.push('<header class="mc-header">');
  out.push(`<bdi class="mc-author">${esc(c.author)}</bdi>`);
  if (c.moderator) out.push(`<span class="mc-badge">${esc(s.moderator)}</span>`);
  out.push(`<a class="mc-date" href="#${esc(c.anchor)}"><time datetime="${esc(c.date)}">${esc(c.date_text)}</time></a>`);
  if (c.in_reply_to)
    out.push(`<a class="mc-in-reply-to" href="#comment-${esc(c.in_reply_to.id)}">${esc(s.in_reply_to)} <bdi>${esc(c.in_reply_to.author)}</bdi></a>`);
  out.push("</header>");
  out.push(`<div class="mc-body">\n${c.html}</div>`);
  if (c.reply_mailto)
    out.push(`<p class="mc-actions"><a class="mc-reply" href="${esc(c.reply_mailto)}" rel="nofollow">${esc(s.reply)}</a></p>`);
  if (c.replies && c.replies.length) {
    out.push('<div class="mc-replies">');
    for (const r of c.replies) out.push(comment(r, s));
    out.push("</div>");
  }
  out.push("</article>");
  return out.join("\n");
}

// The section of article data d (nothing when d is missing).
function section(d) {
  if (!d) return "";
  const s = d.strings, out = [];
  out.push(`<section class="mailcomments" id="comments" lang="${esc(d.language)}" aria-labelledby="comments-title">`);
  if (d.stylesheet) out.push(`<link rel="stylesheet" href="${esc(d.stylesheet)}">`);
  out.push(`<h2 id="comments-title">${esc(s.heading)}</h2>`);
  if (d.comments && d.comments.length) {
    out.push('<div class="mc-comments">');
    for (const c of d.comments) out.push(comment(c, s));
    out.push("</div>");
  }
  out.push('<footer class="mc-footer">');
  if (d.closed) out.push(`<p class="mc-closed">${esc(s.closed)}</p>`);
  if (d.comment_mailto) {
    out.push(`<p class="mc-leave"><a href="${esc(d.comment_mailto)}" rel="nofollow">${esc(s.leave)}</a></p>`);
    out.push(`<p class="mc-address">${esc(s.address)} <code>${esc(d.comment_address)}</code></p>`);
  }
  out.push(`<p class="mc-notice">${esc(s.notice)}</p>`);
  if (d.feed)
    out.push(`<p class="mc-feed"><a href="${esc(d.feed)}" type="application/atom+xml">${esc(s.feed)}</a></p>`);
  out.push("</footer>", "</section>");
  return out.join("\n");
}

// The count for index pages ("3 commentaires"), a link to the comments.
function count(d) {
  if (!d) return "";
  return `<a class="mc-count" href="${esc(d.url)}#comments">${esc(d.strings.heading)}</a>`;
}

module.exports = function (config) {
  config.addShortcode("mailcomments", section);
  config.addShortcode("mailcommentsCount", count);
};
module.exports.section = section;
module.exports.count = count;
