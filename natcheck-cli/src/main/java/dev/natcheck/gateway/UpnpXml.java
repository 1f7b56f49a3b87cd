package dev.natcheck.gateway;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * The two XML documents of the UPnP exchange, read with StAX hardened against a hostile device:
 * no DTD, no external or internal entities, and a document that was already cut to a size limit
 * before it got here. Only element local names matter (namespaces vary between devices).
 */
final class UpnpXml {

    /** WAN connection services that answer GetExternalIPAddress, most wanted first. */
    static final List<String> WAN_SERVICES = List.of(
            "urn:schemas-upnp-org:service:WANIPConnection:2",
            "urn:schemas-upnp-org:service:WANIPConnection:1",
            "urn:schemas-upnp-org:service:WANPPPConnection:1");

    /** Deepest element nesting accepted; a description is about ten levels deep. */
    static final int MAX_DEPTH = 64;

    private UpnpXml() {}

    /** A WAN connection service of the device description. */
    record WanService(String serviceType, String controlUrl) {}

    /** What the description says: URLBase (UPnP 1.0) and the WAN connection service to ask. */
    record Description(Optional<String> urlBase, Optional<WanService> wanService) {}

    /** What GetExternalIPAddress answered: the address text, or a UPnP error. */
    record SoapAnswer(
            Optional<String> externalAddress, Optional<String> errorCode, Optional<String> errorDescription) {}

    static Description description(byte[] xml) throws MalformedAnswerException {
        Optional<String> urlBase = Optional.empty();
        Map<String, String> controlUrls = new HashMap<>();
        XMLStreamReader reader = open(xml);
        try {
            List<String> path = new ArrayList<>();
            String serviceType = null;
            String controlUrl = null;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    String name = reader.getLocalName();
                    path.add(name);
                    if (path.size() > MAX_DEPTH) {
                        throw new MalformedAnswerException("device description nested deeper than " + MAX_DEPTH);
                    }
                    switch (name) {
                        case "service" -> {
                            serviceType = null;
                            controlUrl = null;
                        }
                        case "serviceType" ->
                            serviceType = reader.getElementText().trim();
                        case "controlURL" ->
                            controlUrl = reader.getElementText().trim();
                        case "URLBase" -> {
                            if (path.size() == 2) {
                                urlBase = Optional.of(reader.getElementText().trim());
                            }
                        }
                        default -> {}
                    }
                    // getElementText() consumed the end tag.
                    if (name.equals("serviceType") || name.equals("controlURL") || name.equals("URLBase")) {
                        path.removeLast();
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    String name = path.removeLast();
                    if (name.equals("service") && serviceType != null && controlUrl != null) {
                        controlUrls.putIfAbsent(serviceType, controlUrl);
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw new MalformedAnswerException("device description is not XML natcheck reads: " + brief(e));
        } finally {
            close(reader);
        }
        for (String type : WAN_SERVICES) {
            if (controlUrls.containsKey(type)) {
                return new Description(urlBase, Optional.of(new WanService(type, controlUrls.get(type))));
            }
        }
        return new Description(urlBase, Optional.empty());
    }

    static SoapAnswer soap(byte[] xml) throws MalformedAnswerException {
        Optional<String> address = Optional.empty();
        Optional<String> errorCode = Optional.empty();
        Optional<String> errorDescription = Optional.empty();
        XMLStreamReader reader = open(xml);
        try {
            int depth = 0;
            while (reader.hasNext()) {
                int event = reader.next();
                if (event == XMLStreamConstants.START_ELEMENT) {
                    if (++depth > MAX_DEPTH) {
                        throw new MalformedAnswerException("SOAP answer nested deeper than " + MAX_DEPTH);
                    }
                    switch (reader.getLocalName()) {
                        case "NewExternalIPAddress" -> {
                            address = Optional.of(reader.getElementText().trim());
                            depth--;
                        }
                        case "errorCode" -> {
                            errorCode = Optional.of(reader.getElementText().trim());
                            depth--;
                        }
                        case "errorDescription" -> {
                            errorDescription =
                                    Optional.of(reader.getElementText().trim());
                            depth--;
                        }
                        default -> {}
                    }
                } else if (event == XMLStreamConstants.END_ELEMENT) {
                    depth--;
                }
            }
        } catch (XMLStreamException e) {
            throw new MalformedAnswerException("SOAP answer is not XML natcheck reads: " + brief(e));
        } finally {
            close(reader);
        }
        return new SoapAnswer(address, errorCode, errorDescription);
    }

    /** Loads the XML parser's classes ahead of the first description, off the critical path. */
    static void warmUp() {
        try {
            soap("<a><NewExternalIPAddress>0.0.0.0</NewExternalIPAddress></a>"
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (MalformedAnswerException e) {
            // cannot happen for this document; nothing to warm then
        }
    }

    private static XMLStreamReader open(byte[] xml) throws MalformedAnswerException {
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        // A DTD is refused outright: no external entities, no entity expansion, nothing fetched.
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_COALESCING, true);
        try {
            return factory.createXMLStreamReader(new ByteArrayInputStream(xml));
        } catch (XMLStreamException e) {
            throw new MalformedAnswerException("not XML: " + brief(e));
        }
    }

    private static void close(XMLStreamReader reader) {
        try {
            reader.close();
        } catch (XMLStreamException e) {
            // nothing was held open but a byte array
        }
    }

    /** The parser's message, on one line and short. */
    private static String brief(XMLStreamException e) {
        String message = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
        return message.length() > 160 ? message.substring(0, 160) + "..." : message;
    }
}
