package io.sluice.ingest.extract;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Judges class/id attribute values: boilerplate markers ("sidebar", "share-buttons", "post-meta")
 * and strong main-content markers ("entry-content", "article-body").
 *
 * <p>Matching works on hyphen/underscore-separated parts of each class token, so "entry-meta" is
 * metadata but "metadata-table" is not. One instance is used per page: pages repeat the same class
 * strings thousands of times, so verdicts are memoised per distinct string. Not thread-safe.
 */
final class AttributeClassifier {
  static final int BOILER = 1;
  static final int STRONG_POSITIVE = 2;

  /** Parts matched as substrings of a token: specific enough to not need word boundaries. */
  private static final String[] BOILER_SUBSTRINGS = {
    "comment",
    "sidebar",
    "share",
    "sharing",
    "social",
    "related",
    "cookie",
    "consent",
    "gdpr",
    "breadcrumb",
    "navbar",
    "navigation",
    "newsletter",
    "subscri",
    "advert",
    "sponsor",
    "footer",
    "pagination",
    "paginat",
    "disqus",
    "outbrain",
    "taboola",
    "popup",
    "masthead",
    "byline",
    "signup",
    "login",
    "copyright",
    "shariff",
    "addthis",
    "toolbar",
    "promo",
    "skiplink",
    "offcanvas",
    "off-canvas",
    "modal",
    "recommend",
    "readmore",
    "read-more",
    "authorbox",
    "author-box",
    "author-bio",
    "authorbio",
    "about-author",
    "popular",
    "trending",
    "dateline",
    "tagcloud",
    "tag-cloud",
    "screen-reader",
    "visually-hidden",
    "visuallyhidden",
    "sr-only",
    "banner",
    "breaking",
    "jp-relatedposts",
    "yarpp",
    "sharedaddy",
    "postmeta",
    "entrymeta",
    "teaser-list",
    "more-stories",
    "morestories",
    "newsticker",
    "ticker",
    "overlay",
    "mega-menu",
    "megamenu",
    "dropdown",
    "submenu",
    "print-only",
    "follow-us"
  };

  /** Parts matched exactly, because as substrings they occur inside innocent words. */
  private static final Set<String> BOILER_PARTS =
      Set.of(
          "nav",
          "menu",
          "ad",
          "ads",
          "adv",
          "advertisement",
          "meta",
          "date",
          "time",
          "author",
          "authors",
          "tags",
          "tag",
          "tools",
          "skip",
          "rating",
          "ratings",
          "widget",
          "widgets",
          "avatar",
          "follow",
          "cta",
          "crumbs",
          "btn",
          "button",
          "share",
          "like",
          "likes",
          "links",
          "sitemap",
          "legal",
          "imprint",
          "impressum",
          "contact",
          "pager",
          "prev",
          "next",
          "categories",
          "category",
          "keywords",
          "topics",
          "credit",
          "credits",
          "notice",
          "alert",
          "signin",
          "register",
          "account",
          "cart",
          "lang",
          "language",
          "published",
          "posted",
          "updated",
          "timestamp",
          "datetime",
          "pubdate",
          "sticky");

  /**
   * Tokens that look like boilerplate markers but describe page state (WordPress body/post
   * classes).
   */
  private static final String[] IGNORED_PREFIXES = {
    "category-",
    "tag-",
    "tags-",
    "postid-",
    "page-id-",
    "has-",
    "no-",
    "is-",
    "with-",
    "show-",
    "format-",
    "type-",
    "status-",
    "single-",
    "comments-open",
    "comments-closed",
    "pings-",
    "hentry",
    "wp-",
    "elementor",
    "col-",
    "row-",
    "elementor-widget-text",
    "elementor-widget-theme-post-content",
    "layout-"
  };

  private static final String[] STRONG_POSITIVE_SUBSTRINGS = {
    "entry-content",
    "entrycontent",
    "entry_content",
    "post-content",
    "postcontent",
    "post_content",
    "article-body",
    "articlebody",
    "article_body",
    "article-content",
    "articlecontent",
    "article_content",
    "story-body",
    "storybody",
    "story-content",
    "post-body",
    "postbody",
    "post_body",
    "post-text",
    "posttext",
    "post_text",
    "article-text",
    "articletext",
    "article__body",
    "article__content",
    "main-content",
    "maincontent",
    "main_content",
    "page-content",
    "blog-content",
    "news-content",
    "text-content",
    "content-body",
    "entry-body",
    "single-content",
    "article-detail",
    "news-detail",
    "news-text",
    "rich-text",
    "richtext",
    "body-text",
    "bodytext",
    "post-entry",
    "td-post-content",
    "theme-post-content",
    "content-main",
    "item-page",
    "artikel"
  };

  /**
   * Whole tokens meaning "not rendered"; as parts ("field--label-hidden", "hidden-xs") they mean
   * much less.
   */
  private static final Set<String> HIDDEN_TOKENS =
      Set.of(
          "hidden",
          "hide",
          "d-none",
          "invisible",
          "is-hidden",
          "visuallyhidden",
          "u-hidden",
          "js-hidden",
          "display-none",
          "nodisplay",
          "no-display");

  private final Map<String, Integer> memo = new HashMap<>();

  /** Flags ({@link #BOILER}, {@link #STRONG_POSITIVE}) of one class or id value, memoised. */
  int classify(String value) {
    Integer cached = memo.get(value);
    if (cached != null) {
      return cached;
    }
    int verdict = compute(value);
    if (memo.size() < 4096) {
      memo.put(value, verdict);
    }
    return verdict;
  }

  static boolean isBoiler(int verdict) {
    return (verdict & BOILER) != 0;
  }

  static boolean isStrongPositive(int verdict) {
    return (verdict & STRONG_POSITIVE) != 0;
  }

  private static int compute(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    boolean boiler = false;
    boolean strongPositive = false;
    int len = v.length();
    int i = 0;
    while (i < len) {
      while (i < len && Character.isWhitespace(v.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < len && !Character.isWhitespace(v.charAt(i))) {
        i++;
      }
      if (i == start) {
        break;
      }
      String token = v.substring(start, i);
      if (containsAny(token, STRONG_POSITIVE_SUBSTRINGS)) {
        strongPositive = true;
        continue;
      }
      if (HIDDEN_TOKENS.contains(token)) {
        boiler = true;
        continue;
      }
      if (startsWithAny(token, IGNORED_PREFIXES)) {
        continue;
      }
      if (containsAny(token, BOILER_SUBSTRINGS)) {
        boiler = true;
      }
      int p = 0;
      int tl = token.length();
      while (p < tl) {
        int q = p;
        while (q < tl && Character.isLetterOrDigit(token.charAt(q))) {
          q++;
        }
        if (q > p) {
          String part = token.substring(p, q);
          if (BOILER_PARTS.contains(part)) {
            boiler = true;
          }
        }
        p = q + 1;
      }
    }
    // "comment-content": a boilerplate word beats a content word
    return boiler ? BOILER : (strongPositive ? STRONG_POSITIVE : 0);
  }

  private static boolean containsAny(String s, String[] needles) {
    for (String n : needles) {
      if (s.contains(n)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithAny(String s, String[] prefixes) {
    for (String p : prefixes) {
      if (s.startsWith(p)) {
        return true;
      }
    }
    return false;
  }
}
