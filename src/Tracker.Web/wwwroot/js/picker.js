// Department and jurisdiction pickers (Features/Shared/_UnitPicker.cshtml). Without this script the page still works:
// the text box is sent with the form and the server lists the units whose name contains it. With it, the select is
// refilled from the directory API as the person types (and, for departments, when the jurisdiction changes), so that
// a province's 30,000 departments are never all on the page.
(function () {
  'use strict';

  function label(unit) {
    return unit.within ? unit.name + ' · ' + unit.within : unit.name;
  }

  function setUp(box) {
    var text = box.querySelector('input[type=search]');
    var select = box.querySelector('select');
    var hint = box.querySelector('.hint');
    var limit = parseInt(box.getAttribute('data-limit'), 10) || 20;
    var narrowedBy = box.getAttribute('data-narrowed-by');
    var by = narrowedBy ? document.getElementById(narrowedBy) : null;
    var timer = 0;
    var asked = 0;
    if (!text || !select) {
      return;
    }

    function say(key, count) {
      var words = box.getAttribute(key);
      if (hint && words) {
        hint.textContent = words.replace('{0}', String(count));
      }
    }

    function fill(found) {
      var chosen = select.value;
      // The empty option ("all") and the unit chosen stay; the others are replaced by what was found.
      var kept = Array.prototype.filter.call(select.options, function (o) {
        return o.value === '' || o.value === chosen;
      });
      while (select.options.length > 0) {
        select.remove(0);
      }
      kept.forEach(function (o) {
        select.add(o);
      });
      var shown = 0;
      found.slice(0, limit).forEach(function (unit) {
        if (String(unit.id) !== chosen) {
          select.add(new Option(label(unit), String(unit.id)));
          shown++;
        }
      });
      select.value = chosen;
      box.setAttribute('data-found', String(shown));
      if (found.length > limit) {
        say('data-more', limit);
      } else if (found.length === 0) {
        say('data-none', 0);
      } else {
        say('data-some', found.length);
      }
    }

    function refresh() {
      var ticket = ++asked;
      var url = new URL(box.getAttribute('data-picker'), window.location.origin);
      var q = text.value.trim();
      if (q) {
        url.searchParams.set('q', q);
      }
      if (by && by.value) {
        url.searchParams.set('jurisdictionId', by.value);
      }
      // One more than is shown, to tell whether more match.
      url.searchParams.set('limit', String(limit + 1));
      box.setAttribute('aria-busy', 'true');
      fetch(url.toString(), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (found) {
          // An answer to an older question is dropped: the person has typed on.
          if (ticket === asked && Array.isArray(found)) {
            fill(found);
          }
        })
        .catch(function () {
          // The options the server rendered stay; submitting the form still narrows them.
        })
        .then(function () {
          if (ticket === asked) {
            box.removeAttribute('aria-busy');
          }
        });
    }

    text.addEventListener('input', function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 250);
    });
    // Enter in the text box narrows the list here instead of submitting the form with the old choice.
    text.addEventListener('keydown', function (e) {
      if (e.key === 'Enter') {
        e.preventDefault();
        window.clearTimeout(timer);
        refresh();
      }
    });
    if (by) {
      by.addEventListener('change', refresh);
    }
  }

  document.querySelectorAll('[data-picker]').forEach(setUp);
})();
